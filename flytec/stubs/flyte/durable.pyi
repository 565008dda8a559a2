# flytec stubs for the Flyte 2 SDK (flyte 2.x). Typing only; not the SDK's code.
#
# Deterministic (trace-backed) replacements for datetime.now(), time.time() and sleeping:
# ``flyte.durable.now()`` blocks, ``await flyte.durable.now.aio()`` does not.
from datetime import datetime

from flyte._syncify import Syncified

class _Sleep:
    def __call__(self, seconds: float) -> None: ...
    async def aio(self, seconds: float) -> None: ...

now: Syncified[[], datetime]
time: Syncified[[], float]
sleep: _Sleep
