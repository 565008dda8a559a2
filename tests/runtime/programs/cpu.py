"""CPU-bound sync leaves for --processes: each reports the pid it ran in."""

# flytec-parity: main --k 3 --n 10

import os

import flyte

env = flyte.TaskEnvironment(name="cpu")


@env.task
def burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i % 7
    return os.getpid()


@env.task
def main(k: int, n: int) -> dict:
    pids = list(flyte.map(burn, [n] * k))
    return {"distinct_pids": len(set(pids)), "parent_pid_used": os.getpid() in pids}
