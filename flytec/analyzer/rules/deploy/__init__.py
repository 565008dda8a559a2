"""Rules of category `deploy`: environments, dependencies and configuration."""
