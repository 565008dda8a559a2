"""Rules of category `syntax`: files that cannot be read or parsed."""
