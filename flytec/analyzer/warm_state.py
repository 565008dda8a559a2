"""What a long-running caller (the language server) keeps between checks of one project, so
that a check of one edited buffer costs what that buffer needs: the :class:`Project` (its
file set, module look-ups and names, walked once instead of at every keystroke) and the
incremental check's result index (read from disk once, then kept up to date in memory).

Everything kept is either keyed by content (the index's facts and results, validated as in a
fresh run) or depends only on which files exist (the project's file set): a caller that
learns that files were created, deleted or renamed calls :meth:`WarmState.files_changed`.
File contents are read again at every check, so an edit on disk is always seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flytec.analyzer.result_index import ResultIndex
    from flytec.compiler.project import Project


@dataclass
class WarmState:
    project: Project | None = None
    index: ResultIndex | None = None
    settings: object = None  # what the kept project was made for (root, cwd, configuration)

    def files_changed(self) -> None:
        """Files appeared or disappeared: walk the project again at the next check."""
        self.project = None

    def take(self, settings: object) -> Project | None:
        """The kept project, when it was made for these settings (else None: a new one)."""
        if self.project is not None and self.settings != settings:
            self.project = None
            self.index = None
        self.settings = settings
        return self.project
