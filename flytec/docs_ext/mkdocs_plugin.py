"""The MkDocs plugin behind ``plugins: [flytec]``: each ``flytec-graph`` fenced block of a
page (:mod:`flytec.docs_ext.fences`) becomes the picture of a task's workflow or of a call
graph, drawn when the site is built.

A block that cannot be drawn is a warning naming the page and the line (``mkdocs build
--strict`` fails on it), never a crashed build. ``mkdocs serve`` also watches the drawn
files, so an edit to the code redraws the page."""

from __future__ import annotations

import html
import secrets
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from flytec.docs_ext.draw import DrawError, draw
from flytec.docs_ext.fences import find_blocks

log = get_plugin_logger("flytec")


class FlytecPluginConfig(Config):  # type: ignore[no-untyped-call]
    # where relative paths start (relative to mkdocs.yml); default: the page's folder
    root = config_options.Optional(config_options.Type(str))
    # Mermaid's script for pages with a Mermaid picture: a URL, or a file in docs_dir;
    # empty: the theme loads it (mkdocs-material does)
    mermaid_js = config_options.Type(str, default="")


class FlytecPlugin(BasePlugin[FlytecPluginConfig]):  # type: ignore[no-untyped-call]
    """Draws ``flytec-graph`` blocks: the Markdown gets a placeholder paragraph per block, and
    the page's HTML gets the picture in its place (so Markdown never touches the SVG)."""

    def __init__(self) -> None:
        self._token = f"flytec-graph-{secrets.token_hex(8)}"
        self._pictures: dict[str, list[str]] = {}  # page -> figure HTML, in block order
        self._mermaid: set[str] = set()  # pages with a Mermaid picture
        self._sources: set[Path] = set()
        self._root: Path | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        root = self.config.root
        if root:
            self._root = (Path(config.config_file_path or ".").parent / root).resolve()
        return config

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str | None:
        lines = markdown.split("\n")
        blocks = find_blocks(lines)
        if not blocks:
            return markdown
        name = page.file.src_uri
        # The metadata header was cut off: count lines as the file has them.
        offset = _meta_lines(page, markdown)
        base = self._root or Path(page.file.abs_src_path or config.docs_dir).parent
        pictures: list[str] = []
        for block in blocks:
            for line, problem in block.problems:
                log.warning(f"{name}:{line + offset}: {problem}")
            pictures.append("" if block.problems else self._figure(
                block.target, block.options, base, f"{name}:{block.line + offset}", name))
        for n, block in reversed(list(enumerate(blocks))):
            lines[block.start:block.end + 1] = ["", f"{block.indent}{self._token}-{n}", ""]
        self._pictures[name] = pictures
        return "\n".join(lines)

    def _figure(self, target: str, options: dict[str, str], base: Path, where: str,
                name: str) -> str:
        fmt = options.get("format", "svg")
        try:
            drawing = draw(target, base, fmt, options.get("detail", "summary"))
        except DrawError as e:
            log.warning(f"{where}: {e}")
            return ""
        for problem in drawing.warnings:
            log.warning(f"{where}: {problem}")
        self._sources.update(drawing.sources)
        if fmt == "mermaid":
            self._mermaid.add(name)
        caption = options.get("caption")
        figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        return (f'<figure class="flytec-graph flytec-graph-{fmt}">\n{drawing.html}'
                f"{figcaption}</figure>\n")

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str | None:
        pictures = self._pictures.pop(page.file.src_uri, None)
        if pictures is None:
            return html
        for n, figure in enumerate(pictures):
            placeholder = f"{self._token}-{n}"
            html = html.replace(f"<p>{placeholder}</p>", figure).replace(placeholder, figure)
        script = self.config.mermaid_js
        if script and page.file.src_uri in self._mermaid:
            if "://" not in script and not script.startswith("/"):
                script = get_relative_url(script, page.url)
            html += f'\n<script src="{html_attr(script)}"></script>\n'
        return html

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer | None:
        for source in sorted(self._sources):
            server.watch(str(source), recursive=False)
        return server


def html_attr(text: str) -> str:
    return html.escape(text, quote=True)


def _meta_lines(page: Page, markdown: str) -> int:
    """How many lines of the page's file come before ``markdown`` (its YAML header)."""
    source = page.file.content_string if page.file.abs_src_path else markdown
    at = source.find(markdown) if markdown else -1
    return source.count("\n", 0, at) if at > 0 else 0
