"""The picture of a pull-request comment in docs/graphs-in-pull-requests.md: the page's
example Markdown (which a test keeps equal to what ``graph --diff -f markdown`` writes),
turned into HTML by markdown-it (installed with rich) and drawn by real Mermaid in headless
chromium, as GitHub shows a comment.

``python -m tests.cli.pr_comment_picture`` rewrites docs/graphs/pr-comment.png.
"""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

from tests.browser import mermaid_js, screenshot
from tests.conftest import REPO

PAGE = REPO / "docs" / "graphs-in-pull-requests.md"
PICTURE = REPO / "docs" / "graphs" / "pr-comment.png"
STYLE = """body { font: 14px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  color: #1f2328; margin: 0; background: #fff; }
main { width: 760px; margin: 16px; padding: 8px 16px; border: 1px solid #d0d7de;
  border-radius: 6px; }
code { font: 12px monospace; background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: 4px 10px; }
pre.mermaid { text-align: center; background: none; }"""


def comment_html(markdown: str) -> str:
    body = MarkdownIt("commonmark").enable("table").render(markdown)
    body = re.sub(r'<pre><code class="language-mermaid">(.*?)</code></pre>',
                  lambda m: f'<pre class="mermaid">{m.group(1)}</pre>', body, flags=re.S)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>{STYLE}</style>
<script src="{html.escape(mermaid_js().as_uri())}"></script></head>
<body><main>{body}</main>
<script>mermaid.initialize({{startOnLoad: true, securityLevel: "strict"}});</script>
</body></html>"""


def example_markdown() -> str:
    text = PAGE.read_text(encoding="utf-8")
    return text.split("````markdown\n", 1)[1].split("````", 1)[0]


def regenerate(out: Path = PICTURE) -> Path:
    with tempfile.TemporaryDirectory(prefix="flytec-pr-comment-") as tmp:
        page = Path(tmp) / "comment.html"
        page.write_text(comment_html(example_markdown()), encoding="utf-8")
        return screenshot(page, out, size=(800, 1260))


if __name__ == "__main__":
    print(regenerate())
