"""The screenshots of docs/report.md: ``python -m tests.site.screenshots`` writes the report
of examples/ to a temporary directory and takes docs/report/index.png and workflow.png with
headless chromium (tests/browser.py). Look at them before committing them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests import browser
from tests.site.helpers import EXAMPLES, REPO, build

DOCS = REPO / "docs" / "report"
SIZE = (1100, 760)


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flytec-report-") as tmp:
        out = Path(tmp) / "site"
        result = build([EXAMPLES], out)
        etl = next(t for t in result.site.tasks if t.fqn == "etl_driver.main")
        browser.screenshot(out / "index.html", DOCS / "index.png", size=SIZE)
        browser.screenshot(out / etl.page, DOCS / "workflow.png", size=SIZE)
    for name in ("index.png", "workflow.png"):
        print(f"wrote docs/report/{name} ({(DOCS / name).stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
