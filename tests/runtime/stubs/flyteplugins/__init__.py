"""Stand-ins for SDK plugins the runtime tests' programs import (see ../README.md)."""
