"""A longer fuzz run than the suite's: generated programs through check, build and graph.

    python benchmarks/fuzz.py [--examples 500] [--strategy grammar|node|both]
                              [--seed N] [--save DIR]

Each program from hypothesmith (``from_grammar``: CPython's grammar; ``from_node``: libcst
nodes, more varied identifiers and literals) is wrapped as Flyte code twice, at module level
and as a task's body, and each wrapped program goes through ``check --format json``,
``build --target argo``, ``build --target jobs``, ``graph FILE::main --format json`` and
``graph FILE`` in-process (tests/hardening/fuzz_harness.py, the same harness as the suite's
tests/hardening/test_fuzz_pipeline.py). Prints the counts (programs, invocations, failures)
and each distinct failure once, with the smallest program that shows it; ``--save DIR``
writes those programs to DIR for regression tests. Exit code 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import hypothesmith  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.hardening.fuzz_harness import WRAPPERS, Failure, Tally, run_program  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=500, help="generated programs")
    ap.add_argument("--strategy", choices=["grammar", "node", "both"], default="both")
    ap.add_argument("--seed", type=int, default=None, help="reproduce a run")
    ap.add_argument("--save", type=Path, default=None, help="write failing programs here")
    args = ap.parse_args()
    strategies = {"grammar": hypothesmith.from_grammar(), "node": hypothesmith.from_node()}
    strategy = (st.one_of(*strategies.values()) if args.strategy == "both"
                else strategies[args.strategy])
    tally = Tally()
    generated = [0]
    start = time.perf_counter()

    @settings(max_examples=args.examples, deadline=None, database=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(code: str) -> None:
        generated[0] += 1
        for wrap in WRAPPERS.values():
            run_program(wrap(code), tally)
        if generated[0] % 50 == 0:
            print(f"  {generated[0]} programs, {tally.invocations} invocations, "
                  f"{len(tally.failures)} failures, {time.perf_counter() - start:.0f} s",
                  flush=True)

    if args.seed is not None:
        one = seed(args.seed)(one)
    one()
    elapsed = time.perf_counter() - start
    distinct: dict[tuple[str, str], Failure] = {}
    for f in tally.failures:
        key = (f.command, f.reason.splitlines()[0][:120] if f.reason else "")
        if key not in distinct or len(f.program) < len(distinct[key].program):
            distinct[key] = f
    print(f"generated programs: {generated[0]}; wrapped programs: {tally.programs}; "
          f"invocations: {tally.invocations}; failures: {len(tally.failures)} "
          f"({len(distinct)} distinct); {elapsed:.0f} s")
    for i, ((command, reason), f) in enumerate(sorted(distinct.items())):
        print(f"\n--- {command}: {reason}\n{f.program}")
        if args.save is not None:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"failure_{i:02d}.py").write_bytes(
                f.program.encode("utf-8", "surrogatepass"))
    sys.exit(1 if tally.failures else 0)


if __name__ == "__main__":
    main()
