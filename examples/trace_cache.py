"""Traces and caching.

* ``@flyte.trace`` on a helper called from an async task: the helper runs in
  the task's own container (no new pod), but its inputs and outputs are
  recorded, so when the task is retried or recovered the recorded result is
  replayed instead of calling the (simulated) external service again.
* ``cache="auto"``: the cache version is derived from the task's source code;
  identical inputs hit the cache on the next run.
* ``flyte.Cache(behavior="auto", ignored_inputs=..., salt=...)``: ``verbose``
  does not take part in the cache key, and bumping ``salt`` invalidates old
  entries without touching the code.

The "exchange-rate service" is a deterministic in-memory stub, so the example
runs offline.
"""

# flytec-example: run main --amounts '[10.0, 20.5, 99.99]' --currency '"EUR"'
# flytec-expect: {"currency": "EUR", "rate": 0.9, "converted": [9.0, 18.45, 89.99], "total": 117.44}

from dataclasses import dataclass

import flyte

env = flyte.TaskEnvironment(
    name="trace_cache",
    resources=flyte.Resources(cpu=1, memory="500Mi"),
)

# Read-only stand-in for a rates API (module-level constant, never mutated).
_RATES_PER_USD = {"USD": 1.0, "EUR": 0.9, "GBP": 0.8, "JPY": 150.0}


@dataclass
class Quote:
    currency: str
    rate: float
    converted: list[float]
    total: float


@flyte.trace
async def fetch_rate(currency: str) -> float:
    """Pretend to call an exchange-rate API. Traced: recorded and replayed."""
    if currency not in _RATES_PER_USD:
        raise ValueError(f"unknown currency {currency!r}")
    return _RATES_PER_USD[currency]


@env.task(cache="auto")
async def validate_amounts(amounts: list[float]) -> list[float]:
    """Drop negative amounts. Cached on the inputs + the function body."""
    return [a for a in amounts if a >= 0]


@env.task(
    cache=flyte.Cache(behavior="auto", ignored_inputs=("verbose",), salt="rates-2026-01"),
)
async def convert(amounts: list[float], rate: float, verbose: bool = False) -> list[float]:
    """Convert amounts; ``verbose`` only affects logging, so it is not part of the cache key."""
    converted = [round(a * rate, 2) for a in amounts]
    if verbose:
        print(f"converted {len(amounts)} amounts at rate {rate}")
    return converted


@env.task
async def main(amounts: list[float], currency: str = "EUR") -> Quote:
    valid = await validate_amounts(amounts)
    rate = await fetch_rate(currency)
    converted = await convert(valid, rate, verbose=True)
    return Quote(currency=currency, rate=rate, converted=converted, total=round(sum(converted), 2))


if __name__ == "__main__":
    flyte.init_from_config()
    r = flyte.run(main, amounts=[10.0, 20.5, 99.99], currency="EUR")
    print(r.name)
    print(r.url)
