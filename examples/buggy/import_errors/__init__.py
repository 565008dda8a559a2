"""One mistake per module; each of these raises when imported (the real SDK
validates these at environment construction / task decoration time)."""
