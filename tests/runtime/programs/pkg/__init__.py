"""A package whose __init__ re-exports its workflow (a circular import done right)."""

# flytec-parity-skip: a package

from pkg.flow import main

__all__ = ["main"]
