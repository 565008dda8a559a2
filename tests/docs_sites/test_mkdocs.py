"""The MkDocs plugin (``plugins: [flytec]``): a site built by ``mkdocs build`` draws its
``flytec-graph`` blocks; bad ones are warnings naming the page and line, never a crash."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.docs_sites.sites import entry_points, mkdocs_build, project, write

pytest.importorskip("mkdocs", reason="MkDocs is in flytec's `docs` extra")

CONFIG = """
    site_name: Shop
    plugins:
      - flytec
"""

INDEX = """
    ---
    title: Shop
    ---
    # Shop

    The nightly ETL:

    ```flytec-graph
    ../examples/etl.py::main
    caption: The nightly <ETL> workflow
    ```

    How it shows in a page's source (left alone):

    ````markdown
    ```flytec-graph
    ../examples/etl.py::not_drawn
    ```
    ````
"""

RECOVERY = """
    # Recovery

    ~~~flytec-graph
    ../../examples/error_recovery.py::main
    :detail: full
    ~~~
"""


def site(tmp_path: Path, config: str = CONFIG, index: str = INDEX,
         recovery: str = RECOVERY) -> Path:
    """A project with examples/, mkdocs.yml and docs/ (index.md, guide/recovery.md)."""
    root = project(tmp_path / "shop")
    write(root / "mkdocs.yml", config)
    write(root / "docs" / "index.md", index)
    write(root / "docs" / "guide" / "recovery.md", recovery)
    return root


def test_pages_hold_the_svg_of_each_workflow(tmp_path: Path) -> None:
    root = site(tmp_path)
    p = mkdocs_build(root, "--strict")
    assert p.returncode == 0, p.stderr
    index = (root / "site" / "index.html").read_text()
    assert index.count("<svg") == 1
    for task in ("etl_driver.main", "etl_worker.extract", "etl_worker.transform",
                 "etl_worker.load"):
        assert task in index
    assert "<?xml" not in index and "flytec-graph-" not in index.replace(
        "flytec-graph-svg", "")  # no placeholder left behind
    assert "<figcaption>The nightly &lt;ETL&gt; workflow</figcaption>" in index
    assert "etl.py::not_drawn" in index  # the example in a code block stays text
    recovery = (root / "site" / "guide" / "recovery" / "index.html").read_text()
    assert "<svg" in recovery
    for task in ("error_recovery.validate", "error_recovery.aggregate",
                 "error_recovery.notify"):
        assert task in recovery


def test_root_makes_paths_relative_to_it(tmp_path: Path) -> None:
    root = site(tmp_path, config="site_name: Shop\nplugins:\n  - flytec:\n      root: .\n",
                index="""
        # Shop

        ```flytec-graph
        examples/etl.py
        ```
    """, recovery="# Recovery\n")
    p = mkdocs_build(root, "--strict")
    assert p.returncode == 0, p.stderr
    index = (root / "site" / "index.html").read_text()
    assert "call graph of examples/etl.py" in index and "etl_worker.load" in index


def test_a_missing_task_is_a_warning_naming_the_page_and_line(tmp_path: Path) -> None:
    root = site(tmp_path, index="""
        ---
        title: Shop
        ---
        # Shop

        ```flytec-graph
        ../examples/etl.py::mian
        ```

        ```flytec-graph
        ../examples/etl.py::main
        colour: red
        ```
    """, recovery="# Recovery\n")
    p = mkdocs_build(root)
    assert p.returncode == 0, p.stderr  # warnings: the rest of the site is built
    assert ("WARNING -  flytec: index.md:6: no task `mian` in examples/etl.py "
            "(tasks: extract, load, main, transform)") in p.stderr
    assert ("WARNING -  flytec: index.md:12: unknown option `colour` "
            "(options: format, detail, caption)") in p.stderr
    assert "Traceback" not in p.stderr
    assert (root / "site" / "index.html").is_file()
    strict = mkdocs_build(root, "--strict")
    assert strict.returncode != 0
    assert "no task `mian`" in strict.stderr and "Traceback" not in strict.stderr


def test_a_file_that_does_not_parse_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    root = site(tmp_path, index="""
        # Shop

        ```flytec-graph
        ../examples/broken.py::main
        ```

        ```flytec-graph
        ../examples/nowhere.py
        ```

        ```flytec-graph
        ../examples/etl.py::main
        ```flytec-graph
    """, recovery="# Recovery\n")
    p = mkdocs_build(root)
    assert p.returncode == 0, p.stderr
    assert ("flytec: index.md:3: no task `main` in examples/broken.py (tasks: none); "
            "examples/broken.py:7:") in p.stderr and "FLY001 syntax error" in p.stderr
    assert "flytec: index.md:7: `../examples/nowhere.py`: no such file" in p.stderr
    assert "flytec: index.md:11: this block has no closing fence" in p.stderr
    assert "Traceback" not in p.stderr
    strict = mkdocs_build(root, "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr


def test_mermaid_pictures_render_in_a_real_browser(tmp_path: Path) -> None:
    from tests.browser import dump_dom, mermaid_js

    script = mermaid_js()
    root = site(tmp_path, config="site_name: Shop\nplugins:\n  - flytec:\n"
                                 "      mermaid_js: js/mermaid.min.js\n", recovery="""
        # Recovery

        ```flytec-graph
        ../../examples/error_recovery.py::main
        format: mermaid
        ```
    """)
    (root / "docs" / "js").mkdir()
    shutil.copy(script, root / "docs" / "js" / "mermaid.min.js")
    p = mkdocs_build(root, "--strict")
    assert p.returncode == 0, p.stderr
    page = root / "site" / "guide" / "recovery" / "index.html"
    text = page.read_text()
    assert '<pre class="mermaid">' in text and "flowchart TD" in text
    assert '<script src="../../js/mermaid.min.js"></script>' in text
    assert "mermaid.min.js" not in (root / "site" / "index.html").read_text()
    dom = dump_dom(page)
    drawn = re.search(r'<pre class="mermaid" data-processed="true">(.*?)</pre>', dom, re.S)
    assert drawn is not None, dom[-3000:]
    assert "<svg" in drawn.group(1) and "Syntax error" not in drawn.group(1)
    assert "error_recovery.aggregate" in drawn.group(1)


def test_mkdocs_serve_watches_the_drawn_files(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """After the first build, ``mkdocs serve`` hands the plugin its server: the plugin adds
    the files its pictures were drawn from to what the server watches."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = site(tmp_path)
    monkeypatch.syspath_prepend(str(entry_points(root)))
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"))
    build(config)
    watched: list[tuple[str, bool]] = []

    class Server:
        def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
            watched.append((path, recursive))

    server = Server()
    assert config.plugins.on_serve(server, config=config, builder=None) is server
    examples = (root / "examples").resolve()
    assert sorted(watched) == [(str(examples / "error_recovery.py"), False),
                               (str(examples / "etl.py"), False),
                               (str(root.resolve() / "pyproject.toml"), False)]
