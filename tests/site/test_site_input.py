"""The report of hostile and broken input: names are escaped, files that do not parse or
cannot be read are findings, nothing is imported or run, and the output is byte-stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from flytec.codegen.site import links
from flytec.model.progress import Progress
from tests.conftest import write_project
from tests.site.helpers import build, html_files, page

HOSTILE = '''
import pathlib
import flyte

pathlib.Path(__file__).with_name("ran").write_text("imported")  # never happens

env = flyte.TaskEnvironment(name="<script>alert('env')</script>")


@env.task
async def leaf(x: int) -> int:
    """<b>not bold</b> \u202e reversed"""
    return x + 1


@env.task
async def main(n: int) -> int:
    with flyte.group('"><img src=x onerror=alert(1)>'):
        a = await leaf(n)
    return a
'''


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    write_project(root, {
        "pyproject.toml": "[project]\nname = 'hostile'\n",
        'we<ird> & "q".py': HOSTILE,
        "broken <b>.py": "import flyte\n\ndef (:\n    pass\n",
        "latin.py": "import flyte\n# caf\udce9\n",
    })
    out = root / "out"
    build([root], out, cwd=root)
    return root, out


def test_user_code_is_never_imported_or_run(hostile: tuple[Path, Path]) -> None:
    root, _ = hostile
    assert not (root / "ran").exists()


def test_hostile_names_are_escaped_everywhere(hostile: tuple[Path, Path]) -> None:
    _, out = hostile
    pages = html_files(out)
    assert len(pages) >= 5
    for p in pages:
        raw = p.read_bytes().decode("utf-8")  # strict: every page is valid UTF-8
        assert "<script>alert" not in raw, p
        assert "<img src=x" not in raw, p
        assert "<b>not bold</b>" not in raw, p
        assert "\u202e" not in raw, p  # shown as its escape, never as a bidi override
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;env&#39;)&lt;/script&gt;.main" in index
    workflow = next(p for p in (out / links.TASKS).iterdir() if "main" in p.name)
    text = workflow.read_text(encoding="utf-8")
    assert "<svg" in text and "&lt;img src=x onerror=alert(1)&gt;" in text  # the group
    source = out / links.source_page('we<ird> & "q".py')
    assert "\\u202e reversed" in source.read_text(encoding="utf-8")
    assert "&lt;b&gt;not bold&lt;/b&gt;" in source.read_text(encoding="utf-8")


def test_files_that_do_not_parse_or_decode_are_findings(hostile: tuple[Path, Path]) -> None:
    _, out = hostile
    by_file = (out / links.FINDINGS_BY_FILE).read_text(encoding="utf-8")
    assert f'id="{links.file_anchor("broken <b>.py")}"' in by_file
    assert ">broken &lt;b&gt;.py:3:" in by_file and "FLY001" in by_file
    assert f'id="{links.file_anchor("latin.py")}"' in by_file and "FLY002" in by_file
    by_rule = (out / links.FINDINGS_BY_RULE).read_text(encoding="utf-8")
    assert f'id="{links.rule_anchor("FLY001")}"' in by_rule


def test_links_with_hostile_file_names_resolve(hostile: tuple[Path, Path]) -> None:
    _, out = hostile
    for p in html_files(out):
        for _, _, value in page(p).links:
            if value.startswith(("https://", "#")):
                continue
            target = (p.parent / value.partition("#")[0]).resolve()
            assert target.is_file() and target.is_relative_to(out.resolve()), (p, value)
            assert all(c.isascii() and c not in " <>\"'&" for c in value), value


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    write_project(tmp_path / "p", {"pyproject.toml": "", "wf.py": HOSTILE,
                                    "broken.py": "def (:\n"})
    a, b = tmp_path / "a", tmp_path / "b"
    build([tmp_path / "p"], a, cwd=tmp_path / "p")
    build([tmp_path / "p"], b, cwd=tmp_path / "p")
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) > 5
    assert [(a / f).read_bytes() for f in files_a] == [(b / f).read_bytes() for f in files_b]


class _Recorder(Progress):
    def __init__(self) -> None:
        self.steps: list[tuple[str, int, int | None]] = []

    def step(self, what: str, done: int, total: int | None) -> None:
        self.steps.append((what, done, total))


def test_progress_is_reported_for_each_stage(tmp_path: Path) -> None:
    write_project(tmp_path / "p", {"pyproject.toml": "", "wf.py": HOSTILE})
    recorder = _Recorder()
    build([tmp_path / "p"], tmp_path / "out", cwd=tmp_path / "p", progress=recorder)
    stages = [s for s, _, _ in recorder.steps]
    assert "parsing" in stages
    assert stages.index("compiling plans") < stages.index("drawing workflows")
    assert ("drawing workflows", 1, 1) in recorder.steps
    assert recorder.steps[-1][0] == "writing pages"
    assert recorder.steps[-1][1] == recorder.steps[-1][2]


LONG_TAIL = '''
import flyte

env = flyte.TaskEnvironment(name="long")


@env.task
async def store(x: int) -> None:
    pass


@env.task
async def main(x: int) -> None:
    store(x)
'''


def test_a_very_long_file_shows_the_lines_linked_to(tmp_path: Path) -> None:
    from flytec.codegen.site.collect import MAX_LINES

    padding = "".join(f"# line {i}\n" for i in range(MAX_LINES + 10))
    wide = "# " + "x" * 5000 + " NEEDLE " + "y" * 5000 + "\n"
    write_project(tmp_path / "p", {"pyproject.toml": "",
                                   "long.py": padding + wide + LONG_TAIL})
    out = tmp_path / "out"
    result = build([tmp_path / "p"], out, cwd=tmp_path / "p")
    (missing_await,) = [f for e in result.site.findings_by_file for f in e.findings
                        if f.code == "FLY103"]
    source = out / links.source_page("long.py")
    parsed = page(source)
    target = missing_await.location.href.partition("#")[2]
    assert target in parsed.ids and "L1" not in parsed.ids
    assert len([i for i in parsed.ids if i.startswith("L")]) < 100
    assert "too many to show here" in source.read_text(encoding="utf-8")
    for p in html_files(out):  # every link still has its line
        for _, _, value in page(p).links:
            path, _, anchor = value.partition("#")
            if path.startswith(("../source/", "source/")) and anchor:
                assert anchor in page((p.parent / path).resolve()).ids, value


def test_an_excerpt_of_a_long_line_shows_the_part_around_the_finding() -> None:
    from flytec.codegen.site.sources import LINE_MAX, Sources

    text = "x = [" + "1, " * 3000 + "NEEDLE" + ", 2" * 3000 + "]\n"
    sources = Sources(Path("."), lambda shown: text.encode())
    (line,) = sources.excerpt("f.py", 1, 1, column=text.index("NEEDLE") + 1)
    assert "NEEDLE" in line[1] and line[1].startswith("…") and line[1].endswith("…")
    assert len(line[1]) <= LINE_MAX + 2


def test_detail_full_draws_the_glue_too(tmp_path: Path) -> None:
    from tests.site.helpers import EXAMPLES

    etl = [EXAMPLES / "etl.py"]
    summary = build(etl, tmp_path / "summary").site
    full = build(etl, tmp_path / "full", detail="full").site
    kinds = {name: [n.kind for t in s.tasks if t.fqn == "etl_driver.main" for n in t.nodes]
             for name, s in (("summary", summary), ("full", full))}
    assert "glue" not in kinds["summary"] and "glue" in kinds["full"]
    assert set(kinds["summary"]) < set(kinds["full"])
