"""The report of examples/: every workflow in the index with its verdict, a picture per
workflow, findings by file and by rule, and every link resolving (from file://)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from flytec.analyzer.check import check_paths
from flytec.codegen.graph.select import plans_of
from flytec.codegen.plan.select import load_project
from flytec.codegen.report.sarif import HELP_BASE
from flytec.codegen.site import SiteResult, links
from flytec.config import Config
from tests.site.helpers import EXAMPLES, REPO, html_files, page, section

Site = tuple[Path, SiteResult]


def _verdicts() -> dict[str, tuple[str, str]]:
    """Task page -> (fqn, verdict) for every task of examples/, from the plans build writes."""
    loaded = load_project([EXAMPLES], REPO, Config(cache=False))
    out = {}
    for key, plan in zip(loaded.requested, plans_of(loaded)):
        verdict = "leaf" if plan.kind == "leaf" else ("static" if plan.static else "dynamic")
        out[links.task_page(key)] = (plan.task, verdict)
    return out


def test_the_index_lists_every_workflow_and_task_with_its_verdict(examples_site: Site) -> None:
    site, _ = examples_site
    expected = _verdicts()
    assert {v for _, v in expected.values()} == {"leaf", "static", "dynamic"}
    rows = page(site / "index.html").rows
    shown: dict[str, tuple[str, str]] = {}
    assert {r.kind for r in rows} == {"workflow", "task", "environment"}
    for row in rows:
        if row.kind == "environment":
            continue
        href, text = row.links[0]
        verdict = next((c for c in row.classes if c in ("leaf", "static", "dynamic")), "leaf")
        shown[href] = (text, verdict)
    assert shown == expected
    worker = next(r for r in rows if r.kind == "environment" and r.name.startswith("etl_worker "))
    assert {"etl_worker.extract", "etl_worker.transform", "etl_worker.load"} <= {
        text for _, text in worker.links}
    assert ("etl_driver.main", "static") in shown.values()
    assert ("agent.main", "dynamic") in shown.values()


def test_a_dynamic_workflow_says_why(examples_site: Site) -> None:
    site, result = examples_site
    agent = next(t for t in result.site.tasks if t.fqn == "agent.main")
    text = (site / agent.page).read_text(encoding="utf-8")
    assert agent.verdict == "dynamic" and agent.reasons
    reasons = text[text.index('id="dynamic"'):text.index('id="graph"')]
    assert "the number of iterations is only known" in reasons
    assert re.search(r'href="\.\./source/examples_agent_loop\.py-\w+\.html#L\d+"', reasons)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "the number of iterations is only known" in index


def test_every_workflow_has_a_page_with_its_picture(examples_site: Site) -> None:
    site, result = examples_site
    workflows = result.site.workflows
    assert len(workflows) > 20
    for t in workflows:
        text = (site / t.page).read_text(encoding="utf-8")
        assert text.count("<svg") == 1, t.fqn
        assert "<?xml" not in text and "<!DOCTYPE svg" not in text, t.fqn
    leaf = result.site.leaves[0]
    assert "<svg" not in (site / leaf.page).read_text(encoding="utf-8")


def test_workflow_nodes_link_to_the_called_tasks_and_the_source(examples_site: Site) -> None:
    site, result = examples_site
    main = next(t for t in result.site.tasks if t.fqn == "etl_driver.main")
    svg_links = [v for tag, k, v in page(site / main.page).links if k == "xlink:href"]
    pages = {t.fqn: t.page for t in result.site.tasks}
    for callee in ("etl_worker.extract", "etl_worker.transform", "etl_worker.load"):
        assert "../" + pages[callee] in svg_links, callee
    branch = [v for v in svg_links if v.startswith("../source/")]
    assert branch and all(re.fullmatch(r"\.\./source/examples_etl\.py-\w+\.html#L\d+", v)
                          for v in branch)
    extract = next(t for t in result.site.tasks if t.fqn == "etl_worker.extract")
    assert "etl_driver.main" in [c.text for c in extract.callers]


def test_every_link_resolves_inside_the_site_or_to_the_rule_docs(examples_site: Site) -> None:
    site, _ = examples_site
    pages = {p: page(p) for p in html_files(site)}
    assert len(pages) > 100
    rule_docs = set()
    checked = 0
    for path, parsed in pages.items():
        for tag, attr, value in parsed.links:
            where = f"{path.relative_to(site)}: <{tag} {attr}={value!r}>"
            parts = urlsplit(value)
            if parts.scheme:
                assert parts.scheme == "https" and tag == "a", where  # no CDN, no scripts
                m = re.fullmatch(re.escape(HELP_BASE) + r"/(FLY\d{3})\.md", value)
                assert m is not None, where
                assert (REPO / "docs" / "rules" / f"{m.group(1)}.md").is_file(), where
                rule_docs.add(m.group(1))
                continue
            assert not parts.netloc and not value.startswith("/"), where
            target = (path.parent / parts.path).resolve() if parts.path else path
            assert target.is_relative_to(site.resolve()), where
            assert target.is_file(), where
            if parts.fragment:
                assert parts.fragment in pages[target].ids, where
            checked += 1
    assert checked > 1000
    assert {"FLY103", "FLY104"} <= rule_docs


def test_the_findings_of_examples_buggy_appear_by_file_and_by_rule(examples_site: Site) -> None:
    site, _ = examples_site
    buggy = [d for d in check_paths([EXAMPLES], Config(cache=False), cwd=REPO).diagnostics
             if d.path.startswith("examples/buggy/")]
    assert len(buggy) > 20
    by_file = (site / links.FINDINGS_BY_FILE).read_text(encoding="utf-8")
    by_rule = (site / links.FINDINGS_BY_RULE).read_text(encoding="utf-8")
    for d in buggy:
        in_file = section(by_file, links.file_anchor(d.path))
        in_rule = section(by_rule, links.rule_anchor(d.code))
        for text in (in_file, in_rule):
            assert f">{d.location}</a>" in text, (d.location, d.code)
    structure = section(by_file, links.file_anchor("examples/buggy/structure.py"))
    assert re.search(r'<span class="ln mark"><span class="no">58</span>\s*store\(len\(page\)\)',
                     structure)
    assert f'href="{HELP_BASE}/FLY103.md"' in structure
    assert "FLY103" in section(by_rule, links.rule_anchor("FLY103"))


def test_source_pages_have_an_anchor_per_line(examples_site: Site) -> None:
    site, _ = examples_site
    etl = site / links.source_page("examples/etl.py")
    lines = (EXAMPLES / "etl.py").read_text(encoding="utf-8").splitlines()
    ids = page(etl).ids
    assert {f"L{i}" for i in range(1, len(lines) + 1)} <= ids
    notebook = site / links.source_page("examples/contacts_report.ipynb")
    assert any(i.startswith("c") and "-L" in i for i in page(notebook).ids)


def test_the_site_is_self_contained(examples_site: Site) -> None:
    """Pages load nothing from the network (their links are checked above: every `src` is
    inside the site) and the assets fetch nothing either."""
    site, _ = examples_site
    assets = sorted((site / links.ASSETS).iterdir())
    assert [p.name for p in assets] == ["filter.js", "style.css"]
    for p in assets:
        text = p.read_text(encoding="utf-8")
        for fetch in ("http", "url(", "@import", "fetch(", "XMLHttpRequest", "//cdn"):
            assert fetch not in text, (p.name, fetch)
    for p in html_files(site):
        srcs = [v for tag, k, v in page(p).links if k == "src" or tag == "link"]
        assert all(not urlsplit(v).scheme for v in srcs), p
