"""Rules of category `nondeterminism`: values that differ between executions of a driver."""
