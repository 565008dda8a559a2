"""Rules of category `global-state`: module-level state that tasks do not share."""
