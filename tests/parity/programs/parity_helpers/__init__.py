"""A sibling package imported by sibling_import.py (as `flyte run --local` finds it)."""
