# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from contextlib import AbstractContextManager

def group(name: str) -> AbstractContextManager[None]: ...
