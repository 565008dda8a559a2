"""Global-state rules (FLY401, FLY402): writes and reads across tasks, helpers, modules."""

from __future__ import annotations

from tests.conftest import CheckFn

ENV = """
import flyte

env = flyte.TaskEnvironment(name="gs")
"""


def lines(check: CheckFn, files: dict[str, str], path: str = "main.py",
          only: list[str] | None = None) -> list[tuple[str, int]]:
    result = check(files, only=only)
    return sorted((d.code, d.span.line) for d in result.diagnostics
                  if d.code.startswith("FLY40") and d.path.endswith(path))


def test_write_in_helper_of_other_module_and_read(check: CheckFn) -> None:
    files = {
        "state.py": "REGISTRY: dict[str, int] = {}\n\n\ndef remember(k: str) -> None:\n"
                    "    REGISTRY[k] = 1\n",
        "main.py": ENV + """
from state import REGISTRY as reg, remember


@env.task
async def write(k: str) -> None:
    remember(k)


@env.task
async def read(k: str) -> int:
    return reg.get(k, 0)
""",
    }
    # reported in the task's file, at the helper call, whichever files are checked
    assert lines(check, files, "state.py") == []
    assert lines(check, files, "main.py") == [("FLY401", 11), ("FLY402", 16)]
    assert lines(check, files, "main.py", only=["main.py"]) == [("FLY401", 11),
                                                                ("FLY402", 16)]
    r = check(files)
    w = [d for d in r.diagnostics if d.code == "FLY401"][0]
    assert "calls `remember()`" in w.message and "state.py:5" in w.message
    assert w.chain and "helper `remember()`" in w.chain[0]


def test_module_attribute_assignment(check: CheckFn) -> None:
    files = {
        "config.py": "LIMIT = 10\n",
        "main.py": ENV + """
import config


@env.task
async def bump() -> None:
    config.LIMIT = 20


@env.task
async def use() -> int:
    return config.LIMIT
""",
    }
    assert lines(check, files) == [("FLY401", 11), ("FLY402", 16)]


def test_negatives(check: CheckFn) -> None:
    files = {"main.py": ENV + """
import logging

WEIGHTS = {"a": 1.0}
NAMES = ("x", "y")
log = logging.getLogger(__name__)
_client = None
_cache: dict[str, str] = {}


class Client:
    def fetch(self, k: str) -> str:
        return k


CLIENT = Client()


def get_client() -> Client:
    global _client
    if _client is None:
        _client = Client()
    return _client


def cached(k: str) -> str:
    if k not in _cache:
        _cache[k] = k.upper()
    return _cache[k]


@env.task
async def read_only(k: str) -> float:
    log.info("reading")
    return WEIGHTS[k] + len(NAMES) + len(CLIENT.fetch(k)) + len(get_client().fetch(k))


@env.task
async def memo(k: str) -> str:
    return cached(k)


@env.task
async def local_list(xs: list[str]) -> list[str]:
    seen: list[str] = []
    for x in xs:
        seen.append(x)
    return seen


def not_a_task() -> None:
    WEIGHTS["b"] = 2.0
"""}
    assert lines(check, files) == []


def test_read_without_writer_in_view_is_not_reported(check: CheckFn) -> None:
    files = {
        "shared.py": "SEEN: list[str] = []\n",
        "writer.py": ENV + "from shared import SEEN\n\n\n@env.task\nasync def w(x: str) -> None:\n"
                     "    SEEN.append(x)\n",
        "reader.py": "import flyte\nfrom shared import SEEN\n\nenv2 = flyte.TaskEnvironment("
                     "name='r')\n\n\n@env2.task\nasync def r() -> int:\n    return len(SEEN)\n",
    }
    # reader.py does not import writer.py: its findings must not depend on it
    assert lines(check, files, "reader.py") == []
    assert lines(check, files, "reader.py", only=["reader.py"]) == []
