"""What the review site shows, gathered once from a loaded project and handed to the
templates: plain data, every string still the user's (the templates escape it), every link
already relative to the site's root directory."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Link:
    """A place to go: ``href`` relative to the site's root ("" when there is none)."""

    text: str
    href: str = ""


@dataclass
class ExcerptLine:
    number: int
    text: str
    marked: bool  # inside the finding's span


@dataclass
class FindingEntry:
    code: str
    name: str
    severity: str
    message: str
    help: str
    location: Link  # path:line:column, to the source page
    rule_doc: str  # the rule's documentation (the URL SARIF gives as helpUri)
    anchor: str  # id of the finding on the findings-by-file page
    task: str | None = None
    chain: list[str] = field(default_factory=list)
    excerpt: list[ExcerptLine] = field(default_factory=list)


@dataclass
class ReasonEntry:
    """Why a workflow stays dynamic, where."""

    message: str
    location: Link


@dataclass
class NodeEntry:
    """One node of a drawn workflow, in the table under the picture."""

    id: str
    kind: str
    label: str
    location: Link
    calls: Link | None = None  # the called task's page (or its source, when it has no page)
    dynamic: bool = False


@dataclass
class TaskEntry:
    key: str  # "module:function"
    fqn: str  # "env.function"
    name: str
    env: str
    verdict: str  # "leaf" | "static" | "dynamic"
    page: str  # href of its page
    location: Link
    path: str = ""  # its file, as displayed
    is_async: bool = False
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    reasons: list[ReasonEntry] = field(default_factory=list)
    possible_callees: list[str] = field(default_factory=list)
    nodes: list[NodeEntry] = field(default_factory=list)
    node_count: int = 0
    calls: list[Link] = field(default_factory=list)
    callers: list[Link] = field(default_factory=list)
    findings: list[FindingEntry] = field(default_factory=list)
    svg: str | None = None  # the workflow's picture (graphviz SVG, already safe markup)
    no_svg: str = ""  # why there is no picture of a workflow
    env_label: str = ""


@dataclass
class EnvEntry:
    name: str
    var: str
    kind: str
    label: str  # image, resources, reuse (as the graphs' cluster titles say it)
    location: Link
    tasks: list[Link] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)


@dataclass
class RuleEntry:
    code: str
    name: str
    summary: str
    category: str
    doc: str
    findings: list[FindingEntry] = field(default_factory=list)


@dataclass
class FileEntry:
    path: str
    source: str  # href of its source page
    findings: list[FindingEntry] = field(default_factory=list)


@dataclass
class SourceLine:
    number: int
    text: str
    anchor: str
    findings: list[str] = field(default_factory=list)  # "FLY103 error: ..." on this line
    gap: bool = False  # lines before it are left out (a file too long to show whole)


@dataclass
class SourcePage:
    """A file's code with an anchor per line (the target of every source link)."""

    path: str
    page: str
    cells: list[tuple[int | None, list[SourceLine]]] = field(default_factory=list)
    problem: str = ""  # why the text cannot be shown (unreadable)


@dataclass
class Site:
    title: str
    version: str
    files: int
    tasks: list[TaskEntry] = field(default_factory=list)
    environments: list[EnvEntry] = field(default_factory=list)
    findings_by_file: list[FileEntry] = field(default_factory=list)
    findings_by_rule: list[RuleEntry] = field(default_factory=list)
    sources: list[SourcePage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def workflows(self) -> list[TaskEntry]:
        return [t for t in self.tasks if t.verdict != "leaf"]

    @property
    def leaves(self) -> list[TaskEntry]:
        return [t for t in self.tasks if t.verdict == "leaf"]
