"""Shared helpers of the report tests: build a site, read its pages back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from flytec.analyzer.check import project_for
from flytec.codegen.site import SiteResult, build_site
from flytec.config import Config, load_config

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def build(paths: list[Path], out: Path, cwd: Path = REPO, cache: bool = False,
          **kwargs: object) -> SiteResult:
    """The report of ``paths`` in ``out``, as ``flytec report`` writes it (the project's
    configuration, the cache off unless asked)."""
    config: Config = load_config(project_for(paths, cwd), None)
    config.cache = cache
    return build_site(paths, cwd, config, out, **kwargs)  # type: ignore[arg-type]


@dataclass
class Row:
    name: str  # data-name
    kind: str  # data-kind: workflow, task or environment
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    classes: list[str] = field(default_factory=list)  # of the spans in the row
    hidden: bool = False


class Page(HTMLParser):
    """A page's links (``href``, ``src``, SVG's ``xlink:href``), ids and filterable rows."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.rows: list[Row] = []
        self._row: Row | None = None
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for k in ("href", "src", "xlink:href"):
            if a.get(k) is not None:
                self.links.append((tag, k, a[k] or ""))
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "tr" and "data-name" in a:
            self._row = Row(a["data-name"] or "", a.get("data-kind") or "",
                            hidden="hidden" in a)
        if self._row is not None:
            if tag == "a":
                self._href = a.get("href") or ""
                self._text = []
            if tag == "span" and a.get("class"):
                self._row.classes.extend((a["class"] or "").split())

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None and self._row is not None:
            self._row.links.append((self._href, "".join(self._text)))
            self._href = None
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None


def page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def section(text: str, anchor: str) -> str:
    """The HTML of ``<section id="anchor">`` on a page."""
    m = re.search(rf'<section id="{re.escape(anchor)}">(.*?)</section>', text, re.S)
    assert m is not None, f"no section {anchor}"
    return m.group(1)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
