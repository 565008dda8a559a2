"""A real browser for the tests of HTML and Mermaid output: Debian's headless ``chromium``, and
Mermaid's own bundled script from a local file (no CDN, no network).

``.ci/run`` installs both (``.ci/browser.sh``); elsewhere a test that needs them is skipped
with a message that says how to get them. ``FLYTEC_CHROMIUM`` and ``FLYTEC_MERMAID_JS`` point
at other copies."""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Where .ci/browser.sh unpacks the npm package `mermaid` (its dist/mermaid.min.js only).
MERMAID_JS = REPO / ".ci" / "browser" / "mermaid" / "dist" / "mermaid.min.js"
INSTALL_HINT = "run .ci/browser.sh (Debian's chromium and the npm package mermaid)"
# As root in a sandbox with a closed network: no sandbox, no GPU, no background connections.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files", "--hide-scrollbars"]


def chromium() -> str:
    """The browser's path, or skip the test."""
    found = os.environ.get("FLYTEC_CHROMIUM") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    if not found:
        pytest.skip(f"no chromium here: {INSTALL_HINT}")
    return found


def mermaid_js() -> Path:
    """Mermaid's bundled script, or skip the test."""
    path = Path(os.environ.get("FLYTEC_MERMAID_JS") or MERMAID_JS)
    if not path.is_file():
        pytest.skip(f"no mermaid.min.js at {path}: {INSTALL_HINT}")
    return path


def _run(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="flytec-chromium-") as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)


def dump_dom(page: Path, budget_ms: int = 10000) -> str:
    """The page's DOM after its scripts ran (``page`` is opened as a file:// URL)."""
    p = _run([f"--virtual-time-budget={budget_ms}", "--dump-dom", page.resolve().as_uri()])
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def screenshot(page: Path, out: Path, size: tuple[int, int] = (1280, 900),
               budget_ms: int = 10000) -> Path:
    """A PNG of the page as the browser draws it."""
    p = _run([f"--virtual-time-budget={budget_ms}", f"--window-size={size[0]},{size[1]}",
              f"--screenshot={out.resolve()}", page.resolve().as_uri()])
    assert p.returncode == 0 and out.is_file(), p.stderr[-2000:]
    return out


def render_mermaid(diagrams: list[str], workdir: Path) -> list[dict[str, str]]:
    """Each diagram rendered by real Mermaid: ``{"status": "ok", "svg": ...}`` or
    ``{"status": "error", "error": ...}`` (Mermaid's own syntax-error message)."""
    script = mermaid_js()
    page = workdir / "mermaid.html"
    blocks = "\n".join(f'<script type="text/plain" id="d{i}">{html.escape(d)}</script>'
                       for i, d in enumerate(diagrams))
    page.write_text(f"""<!doctype html><html><head><meta charset="utf-8">
<script src="{script.as_uri()}"></script></head><body>{blocks}
<pre id="out">pending</pre>
<script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
(async () => {{
  const results = [];
  for (let i = 0; i < {len(diagrams)}; i++) {{
    const text = new DOMParser().parseFromString(
      document.getElementById("d" + i).innerHTML, "text/html").documentElement.textContent;
    try {{
      const r = await mermaid.render("g" + i, text);
      results.push({{status: "ok", svg: r.svg}});
    }} catch (e) {{
      results.push({{status: "error", error: String(e && e.message || e)}});
    }}
  }}
  document.getElementById("out").textContent = JSON.stringify(results);
}})();
</script></body></html>""", encoding="utf-8")
    dom = dump_dom(page)
    start = dom.index('<pre id="out">') + len('<pre id="out">')
    text = html.unescape(dom[start:dom.index("</pre>", start)])
    assert text != "pending", "Mermaid did not finish within the time budget"
    out: list[dict[str, str]] = json.loads(text)
    return out
