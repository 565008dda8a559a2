"""A package whose __init__ re-exports its workflow (a circular import done right)."""

from pkg.flow import main

__all__ = ["main"]
