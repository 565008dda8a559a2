"""Rules of category `structure`: how tasks are defined, called and awaited."""
