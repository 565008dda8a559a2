"""The report of examples/ in a real browser (headless chromium, tests/browser.py), opened
from file://: the index's filter runs, a workflow's SVG is drawn and visible, its node links
resolve, and both pages can be screenshotted (docs/report/ holds those of the docs)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flytec.codegen.site import SiteResult
from tests import browser
from tests.site.helpers import REPO

Site = tuple[Path, SiteResult]


def _probe(index: Path, workflow: Path, query: str, workdir: Path) -> dict[str, Any]:
    """Open the index (filtered by ``?q=query``) and the workflow page in frames of one
    page, and read their state after their scripts ran."""
    harness = workdir / "probe.html"
    harness.write_text(f"""<!doctype html><html><body>
<iframe id="a" width="1200" height="800" src="{index.as_uri()}?q={query}"></iframe>
<iframe id="b" width="1200" height="800" src="{workflow.as_uri()}"></iframe>
<pre id="out">pending</pre>
<script>
window.addEventListener("load", function () {{
  var out = {{}};
  try {{
    var a = document.getElementById("a").contentDocument;
    var rows = Array.from(a.querySelectorAll("tr[data-name]"));
    var shown = function () {{ return rows.filter(function (r) {{ return !r.hidden; }}); }};
    out.rows = rows.length;
    out.visible = shown().map(function (r) {{ return r.getAttribute("data-name"); }});
    out.count = a.getElementById("filter-count").textContent;
    var input = a.getElementById("filter");
    input.value = "no task is called this";
    input.dispatchEvent(new Event("input"));
    out.after = shown().length;
    out.emptyShown = Array.from(a.querySelectorAll("p.empty")).filter(
      function (p) {{ return !p.hidden; }}).length;
    out.countAfter = a.getElementById("filter-count").textContent;
    var b = document.getElementById("b").contentDocument;
    var svg = b.querySelector("figure.graph svg");
    var box = svg.getBoundingClientRect();
    var style = b.defaultView.getComputedStyle(svg);
    out.svg = {{width: box.width, height: box.height, display: style.display,
               visibility: style.visibility}};
    out.nodes = svg.querySelectorAll("g.node").length;
    out.links = Array.from(svg.querySelectorAll("a")).map(function (x) {{
      return x.getAttribute("xlink:href") || x.getAttribute("href"); }}).filter(
      function (h) {{ return h; }}).map(function (h) {{
      return new URL(h, b.location.href).href; }});  // an <a> with only a tooltip has none
  }} catch (e) {{
    out.error = String(e);
  }}
  document.getElementById("out").textContent = JSON.stringify(out);
}});
</script></body></html>""", encoding="utf-8")
    dom = browser.dump_dom(harness)
    start = dom.index('<pre id="out">') + len('<pre id="out">')
    text = html.unescape(dom[start:dom.index("</pre>", start)])
    assert text != "pending", "the page did not finish loading within the time budget"
    got: dict[str, Any] = json.loads(text)
    return got


def test_the_index_filters_and_the_workflow_svg_is_visible(examples_site: Site,
                                                           tmp_path: Path) -> None:
    browser.chromium()
    site, result = examples_site
    main = next(t for t in result.site.tasks if t.fqn == "etl_driver.main")
    got = _probe(site / "index.html", site / main.page, "etl_driver", tmp_path)
    assert "error" not in got, got.get("error")
    total = len(result.site.tasks) + len(result.site.environments)
    assert got["rows"] == total
    assert got["visible"] and all("etl_driver" in v for v in got["visible"])
    assert len(got["visible"]) < total
    assert got["count"] == f"{len(got['visible'])} of {total} rows match"
    assert got["after"] == 0 and got["emptyShown"] == 3
    assert got["countAfter"] == f"0 of {total} rows match"
    svg = got["svg"]
    assert svg["width"] > 300 and svg["height"] > 300, svg
    assert svg["display"] != "none" and svg["visibility"] == "visible"
    assert got["nodes"] >= 6
    assert len(got["links"]) >= 4
    for url in got["links"]:
        parts = urlsplit(url)
        assert parts.scheme == "file", url
        target = Path(unquote(parts.path))
        assert target.is_file() and target.is_relative_to(site.resolve()), url


def test_the_unfiltered_index_counts_its_rows_once_its_script_ran(examples_site: Site) -> None:
    browser.chromium()
    site, result = examples_site
    dom = browser.dump_dom(site / "index.html")
    total = len(result.site.tasks) + len(result.site.environments)
    assert f'<span id="filter-count" aria-live="polite">{total} rows</span>' in dom
    assert 'hidden=""' not in dom.split('id="workflows"')[1].split("</table>")[0]


def test_pages_can_be_screenshotted(examples_site: Site, tmp_path: Path) -> None:
    browser.chromium()
    site, result = examples_site
    main = next(t for t in result.site.tasks if t.fqn == "etl_driver.main")
    for name, path in (("index", site / "index.html"), ("workflow", site / main.page)):
        png = browser.screenshot(path, tmp_path / f"{name}.png", size=(1000, 700))
        data = png.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000, name


def test_the_docs_show_the_screenshots() -> None:
    page = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    for name in ("index", "workflow"):
        png = REPO / "docs" / "report" / f"{name}.png"
        assert png.read_bytes().startswith(b"\x89PNG"), name
        assert f"report/{name}.png" in page
