"""The report of examples/, built once for the tests of this directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from flytec.codegen.site import SiteResult
from tests.site.helpers import EXAMPLES, build


@pytest.fixture(scope="session")
def examples_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteResult]:
    out = tmp_path_factory.mktemp("report") / "site"
    return out, build([EXAMPLES], out)
