"""The Sphinx extension ``flytec.sphinx``: a site built by ``sphinx-build`` draws the
``flytec-graph`` directives; bad ones are warnings located in the page, never a crash."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.docs_sites.sites import project, sphinx_build, write

pytest.importorskip("sphinx", reason="Sphinx is in flytec's `docs` extra")

CONF = 'extensions = ["flytec.sphinx"]\nproject = "shop"\n'
ORPHAN = ":orphan:\n\nRecovery\n========\n"

INDEX = """
    Shop
    ====

    .. toctree::

       recovery

    The nightly ETL:

    .. flytec-graph:: ../examples/etl.py::main
       :caption: The nightly *ETL* workflow
       :name: etl-graph
"""

RECOVERY = """
    Recovery
    ========

    .. flytec-graph:: ../examples/error_recovery.py::main
       :detail: full
"""


def site(tmp_path: Path, conf: str = CONF, **pages: str) -> Path:
    """A project with examples/ and docs/ (conf.py and the pages); returns docs/."""
    root = project(tmp_path / "shop")
    docs = root / "docs"
    write(docs / "conf.py", conf)
    for name, text in {"index": INDEX, "recovery": RECOVERY, **pages}.items():
        write(docs / f"{name}.rst", text)
    return docs


def test_pages_hold_the_svg_of_each_workflow(tmp_path: Path) -> None:
    docs = site(tmp_path)
    out = tmp_path / "html"
    p = sphinx_build(docs, out, "-W")
    assert p.returncode == 0, p.stderr
    index = (out / "index.html").read_text()
    assert index.count("<svg") == 1
    for task in ("etl_driver.main", "etl_worker.extract", "etl_worker.transform",
                 "etl_worker.load"):
        assert task in index
    assert "<?xml" not in index  # an element of the page, not a document pasted in
    assert re.search(r"<figcaption>\s*<p><span class=\"caption-text\">The nightly "
                     r"<em>ETL</em> workflow", index)
    assert 'id="etl-graph"' in index
    recovery = (out / "recovery.html").read_text()
    assert "<svg" in recovery
    for task in ("error_recovery.validate", "error_recovery.aggregate",
                 "error_recovery.notify"):
        assert task in recovery


def test_a_path_without_task_draws_the_call_graph(tmp_path: Path) -> None:
    docs = site(tmp_path, index="""
        Shop
        ====

        .. flytec-graph:: ../examples/etl.py
    """, recovery=ORPHAN)
    out = tmp_path / "html"
    p = sphinx_build(docs, out, "-W")
    assert p.returncode == 0, p.stderr
    index = (out / "index.html").read_text()
    assert "call graph of examples/etl.py" in index
    assert "etl_worker.transform" in index


def test_graph_root_makes_paths_relative_to_it(tmp_path: Path) -> None:
    docs = site(tmp_path, conf=CONF + 'flytec_graph_root = ".."\n', index="""
        Shop
        ====

        .. flytec-graph:: examples/etl.py::main
    """, recovery=ORPHAN)
    out = tmp_path / "html"
    p = sphinx_build(docs, out, "-W")
    assert p.returncode == 0, p.stderr
    assert "etl_worker.load" in (out / "index.html").read_text()


def test_a_missing_task_is_a_warning_naming_the_page_and_line(tmp_path: Path) -> None:
    docs = site(tmp_path, index="""
        Shop
        ====

        .. toctree::

           recovery

        .. flytec-graph:: ../examples/etl.py::mian
    """)
    out = tmp_path / "html"
    p = sphinx_build(docs, out)
    assert p.returncode == 0, p.stderr  # a warning: the rest of the site is built
    assert (f"{docs / 'index.rst'}:8: WARNING: flytec-graph: no task `mian` in "
            "examples/etl.py (tasks: extract, load, main, transform)") in p.stderr
    assert "Traceback" not in p.stderr
    assert "error_recovery.notify" in (out / "recovery.html").read_text()
    strict = sphinx_build(docs, tmp_path / "strict", "-W")
    assert strict.returncode != 0
    assert "no task `mian`" in strict.stderr and "Traceback" not in strict.stderr


def test_a_file_that_does_not_parse_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    docs = site(tmp_path, index="""
        Shop
        ====

        .. toctree::

           recovery

        .. flytec-graph:: ../examples/broken.py::main

        .. flytec-graph:: ../examples/nowhere.py
    """)
    out = tmp_path / "html"
    p = sphinx_build(docs, out)
    assert p.returncode == 0, p.stderr
    assert (f"{docs / 'index.rst'}:8: WARNING: flytec-graph: no task `main` in "
            "examples/broken.py (tasks: none); examples/broken.py:7:") in p.stderr
    assert "FLY001 syntax error" in p.stderr
    assert (f"{docs / 'index.rst'}:10: WARNING: flytec-graph: `../examples/nowhere.py`: "
            "no such file or directory") in p.stderr
    assert "Traceback" not in p.stderr
    assert (out / "index.html").is_file()
    strict = sphinx_build(docs, tmp_path / "strict", "-W")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr


def test_warnings_can_be_silenced_by_type(tmp_path: Path) -> None:
    docs = site(tmp_path, conf=CONF + 'suppress_warnings = ["flytec.graph"]\n', index="""
        Shop
        ====

        .. toctree::

           recovery

        .. flytec-graph:: ../examples/etl.py::mian
    """)
    p = sphinx_build(docs, tmp_path / "html", "-W")
    assert p.returncode == 0, p.stderr


def test_an_edit_to_the_drawn_code_rebuilds_the_page(tmp_path: Path) -> None:
    docs = site(tmp_path)
    out = tmp_path / "html"
    assert sphinx_build(docs, out, "-W").returncode == 0
    assert "etl_worker.extract" in (out / "index.html").read_text()
    etl = docs.parent / "examples" / "etl.py"
    etl.write_text(etl.read_text().replace('name="etl_worker"', 'name="nightly_worker"'))
    later = os.stat(out / "index.html").st_mtime + 10
    os.utime(etl, (later, later))
    p = sphinx_build(docs, out, "-W")  # incremental: the same output folder, no -E
    assert p.returncode == 0, p.stderr
    index = (out / "index.html").read_text()
    assert "nightly_worker.extract" in index and "etl_worker.extract" not in index


def test_a_parallel_build_draws_every_page(tmp_path: Path) -> None:
    docs = site(tmp_path)
    for n in range(4):
        write(docs / f"more{n}.rst", f"""
            More {n}
            ======

            .. flytec-graph:: ../examples/error_recovery.py::main
        """)
    write(docs / "index.rst", INDEX.replace("recovery\n", "recovery\n       more0\n       more1\n"
                                            "       more2\n       more3\n"))
    out = tmp_path / "html"
    p = sphinx_build(docs, out, "-W", "-j", "2")
    assert p.returncode == 0, p.stderr  # -W: also no "not safe for parallel reading"
    for n in range(4):
        assert "error_recovery.aggregate" in (out / f"more{n}.html").read_text()
    assert "etl_worker.load" in (out / "index.html").read_text()


def test_mermaid_pictures_render_in_a_real_browser(tmp_path: Path) -> None:
    from tests.browser import dump_dom, mermaid_js

    script = mermaid_js()
    docs = site(tmp_path, conf=CONF + 'html_static_path = ["_static"]\n'
                                      'flytec_mermaid_js = "mermaid.min.js"\n', index="""
        Shop
        ====

        .. toctree::

           recovery

        .. flytec-graph:: ../examples/etl.py::main
           :format: mermaid
    """)
    (docs / "_static").mkdir()
    shutil.copy(script, docs / "_static" / "mermaid.min.js")
    out = tmp_path / "html"
    p = sphinx_build(docs, out, "-W")
    assert p.returncode == 0, p.stderr
    index = (out / "index.html").read_text()
    assert '<pre class="mermaid">' in index and "flowchart TD" in index
    assert '<script src="_static/mermaid.min.js' in index
    # only the page with a Mermaid picture loads the script
    assert "mermaid.min.js" not in (out / "recovery.html").read_text()
    dom = dump_dom(out / "index.html")
    drawn = re.search(r'<pre class="mermaid" data-processed="true">(.*?)</pre>', dom, re.S)
    assert drawn is not None, dom[-3000:]
    assert "<svg" in drawn.group(1) and "Syntax error" not in drawn.group(1)
    assert "etl_worker.extract" in drawn.group(1)
