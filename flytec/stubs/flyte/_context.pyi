# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
from flyte.models import TaskContext

def ctx() -> TaskContext:
    """The running task's context; outside a task a falsy context whose fields are None."""

def current_project() -> str: ...
def current_domain() -> str: ...
