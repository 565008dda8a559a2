"""Rendering the review site's pages from :class:`~flytec.codegen.site.model.Site` with the
jinja2 templates of this package. Every value is HTML-escaped (autoescape) after unsafe
characters are written as escapes (:func:`flytec.model.safe_text.printable`); the one
exception is a workflow's SVG, which Graphviz escaped already."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from flytec.codegen.site import links
from flytec.codegen.site.model import Site
from flytec.model.progress import Progress
from flytec.model.safe_text import printable


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return printable(value)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("flytec.codegen.site", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.globals.update(file_anchor=links.file_anchor, rule_anchor=links.rule_anchor,
                       plural=_plural)
    return env


def _render(template: str, **context: Any) -> bytes:
    text = environment().get_template(template).render(**context)
    return text.encode("utf-8", "replace")


def render_pages(site: Site, progress: Progress | None = None) -> Iterator[tuple[str, bytes]]:
    """Each page of the site: (path relative to the site's root, content)."""
    yield links.INDEX, _render("index.html.j2", site=site, root="")
    yield links.FINDINGS_BY_FILE, _render("findings_by_file.html.j2", site=site, root="")
    yield links.FINDINGS_BY_RULE, _render("findings_by_rule.html.j2", site=site, root="")
    yield f"{links.ASSETS}/style.css", _render("style.css.j2")
    yield f"{links.ASSETS}/filter.js", _render("filter.js.j2")
    total = len(site.tasks) + len(site.sources)
    done = 0
    for task in site.tasks:
        yield task.page, _render("task.html.j2", site=site, task=task, root="../")
        done += 1
        if progress is not None and done % 50 == 0:
            progress.step("writing pages", done, total)
    for source in site.sources:
        yield source.page, _render("source.html.j2", site=site, source=source, root="../")
        done += 1
        if progress is not None and done % 50 == 0:
            progress.step("writing pages", done, total)
    if progress is not None:
        progress.step("writing pages", total, total)
