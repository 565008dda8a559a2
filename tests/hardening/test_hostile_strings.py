"""Issue 20, item 4: lone surrogates and control characters in string literals never crash
`check`, `build` (every target) or `graph` (every format), and never reach an output raw:
JSON outputs escape them (and read back as the literal), text outputs show their escapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from flytec.model.safe_text import escape_json_text, printable
from tests.hardening.corpus import (
    HOSTILE,
    RAW_CONTROLS,
    UNSAFE_CHARS,
    assert_no_crash,
    flytec,
    strings_program,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "pyproject.toml").write_text("[project]\nname = 'hostile'\n")
    (root / "hostile.py").write_text(strings_program(), encoding="utf-8")
    return root


def _raw(text: str) -> list[str]:
    """The unsafe characters that appear raw in ``text``."""
    return [repr(c) for c in UNSAFE_CHARS if c in text]


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "json", "sarif"])
def test_check_escapes_every_format(project: Path, fmt: str) -> None:
    out, err = assert_no_crash(flytec(project, "check", "hostile.py", "--no-cache",
                                      "--format", fmt))
    assert "FLY103" in out  # the finding that quotes the string and shows the raw line
    assert _raw(out + err) == [], fmt
    if fmt in ("json", "sarif"):
        json.loads(out)
    if fmt == "text":  # the source line is shown with escapes, the caret under the call
        lines = out.splitlines()
        line = next(x for x in lines if x.lstrip().startswith("30 |"))
        caret = lines[lines.index(line) + 1]
        assert printable(RAW_CONTROLS) in line
        assert line.index("leaf(") == caret.index("^")


def test_build_plans_keep_the_literals(project: Path, tmp_path: Path) -> None:
    out, err = assert_no_crash(flytec(project, "build", "hostile.py", "-o", str(tmp_path)))
    assert "Wrote 3 plans" in out, err
    assert _raw(out + err) == []
    text = (tmp_path / "hostile.main.plan.json").read_bytes().decode("utf-8")
    assert _raw(text) == []  # as \u escapes: valid UTF-8, valid JSON
    plan = json.loads(text)
    consts = [b["value"] for n in plan["nodes"] for b in n.get("inputs", {}).values()
              if b.get("from") == "const"]
    # every lone character reads back as written (a pair of surrogates becomes the one
    # character it encodes: JSON cannot tell the two apart)
    for name, value in HOSTILE.items():
        if name != "pair":
            assert value in consts, name
    defaults = {i["name"]: i.get("default") for i in plan["inputs"]}
    assert defaults["tag"] == HOSTILE["surrogate"] + HOSTILE["escape"]
    assert plan["environment"]["env_vars"]["MODE"].startswith(HOSTILE["surrogate"])
    assert any(n.get("group") == "g" + HOSTILE["surrogate"] + HOSTILE["c1"]
               for n in plan["nodes"])


@pytest.mark.parametrize("target", ["argo", "jobs"])
def test_build_manifests_are_valid_yaml(project: Path, tmp_path: Path, target: str) -> None:
    out, err = assert_no_crash(flytec(project, "build", "hostile.py", "--target", target,
                                      "-o", str(tmp_path)))
    manifests = sorted(tmp_path.glob(f"*.{target}.yaml"))
    assert manifests, out + err
    for m in manifests:
        text = m.read_bytes().decode("utf-8")
        assert _raw(text) == [], m.name
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
        assert docs
    plans = [json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.glob("*.plan.json")]
    assert plans


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "svg", "json"])
@pytest.mark.parametrize("target", ["hostile.py::main", "hostile.py"])
def test_graph_escapes_labels(project: Path, fmt: str, target: str) -> None:
    out, err = assert_no_crash(flytec(project, "graph", target, "--format", fmt),
                               codes=(0,))
    assert _raw(out + err) == []
    if fmt == "json":
        json.loads(out)
    if fmt == "dot" and target.endswith("::main"):
        assert printable("g" + HOSTILE["surrogate"] + HOSTILE["c1"]) in out  # the group


def test_escape_helpers() -> None:
    for value in HOSTILE.values():
        shown = printable(value)
        shown.encode("utf-8")  # always encodable
        assert _raw(shown) == []
        text = escape_json_text(json.dumps([value], ensure_ascii=False))
        assert _raw(text) == []
        if value != HOSTILE["pair"]:
            assert json.loads(text) == [value]
    assert printable("tab\tand\nnewline, é, 日本") == "tab\tand\nnewline, é, 日本"


def test_run_computes_with_the_literals(project: Path, tmp_path: Path) -> None:
    """`flytec run` (once: a UnicodeEncodeError deriving the action id of a group with a
    surrogate in its name, then one printing the result) gives the value Python would, and
    prints it as JSON escapes, from the source and from the built plan alike."""
    suffix = HOSTILE["c1"] + HOSTILE["surrogate"]
    tag = HOSTILE["surrogate"] + HOSTILE["escape"]
    expected = "".join(v + suffix for v in HOSTILE.values()) + tag
    # printed as JSON, the surrogate pair reads back as the one character it encodes
    expected = expected.replace(HOSTILE["pair"], HOSTILE["pair"].encode(
        "utf-16", "surrogatepass").decode("utf-16"))
    store = str(tmp_path / "store")
    out, _ = assert_no_crash(flytec(project, "run", "--store", store, "--no-progress",
                                    "hostile.py::main", "--x", "1"), codes=(0,))
    assert _raw(out) == []
    assert json.loads(out.strip().splitlines()[-1]) == expected
    assert_no_crash(flytec(project, "build", "hostile.py", "-o", str(tmp_path / "plans")))
    out, _ = assert_no_crash(flytec(project, "run", "--store", store, "--no-progress",
                                    str(tmp_path / "plans" / "hostile.main.plan.json"),
                                    "--x", "1"), codes=(0,))
    assert json.loads(out.strip().splitlines()[-1]) == expected
