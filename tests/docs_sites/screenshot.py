"""Rebuild docs/graphs/sphinx-page.png, the screenshot in docs/graphs-in-docs.md: the page of
that doc's Sphinx example, built by sphinx-build and drawn by headless Chromium.

    python -m tests.docs_sites.screenshot
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser import screenshot
from tests.conftest import REPO
from tests.docs_sites.sites import project, sphinx_build, write

OUT = REPO / "docs" / "graphs" / "sphinx-page.png"

CONF = """
    project = "shop"
    extensions = ["flytec.sphinx"]
    html_theme_options = {"page_width": "1000px", "sidebar_width": "180px"}
"""

PAGE = """
    The nightly ETL
    ===============

    ``main`` extracts each day's orders, transforms them with ``flyte.map`` and loads the
    result; the picture is drawn from ``examples/etl.py`` each time the docs are built.

    .. flytec-graph:: ../examples/etl.py::main
       :caption: ``etl_driver.main``, drawn by ``flytec.sphinx``
"""


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = project(Path(tmp) / "shop")
        write(root / "docs" / "conf.py", CONF)
        write(root / "docs" / "index.rst", PAGE)
        built = sphinx_build(root / "docs", Path(tmp) / "html", "-W")
        if built.returncode != 0:
            print(built.stderr, file=sys.stderr)
            return 1
        screenshot(Path(tmp) / "html" / "index.html", OUT, size=(1000, 1000))
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
