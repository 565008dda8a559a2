"""The package as it is distributed: one version, the data files the code reads, the README's
install lines. (The wheel itself is built and run on every Python by ``make test-wheel``,
``.ci/pythons.py wheel``.)"""

from __future__ import annotations

import fnmatch
import re
import sys

import flytec
from tests.conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_lives_only_in_flytec_init() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "flytec.__version__"}
    # setuptools reads the attribute without importing flytec: it must be a plain literal
    init = (REPO / "flytec" / "__init__.py").read_text(encoding="utf-8")
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+[^"]*"$', init, re.M)


def test_changelog_starts_with_this_version() -> None:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (\S+)", text, re.M)
    assert first is not None and first.group(1) == flytec.__version__


def test_every_data_file_of_the_package_is_declared() -> None:
    """Files under flytec/ that are not Python modules reach the wheel only through
    package-data: each must match one of its patterns (else `pip install` loses it)."""
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["flytec"]
    data = [p.relative_to(REPO / "flytec").as_posix() for p in (REPO / "flytec").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert any(d.endswith(".json") for d in data) and any(d.endswith(".j2") for d in data)
    undeclared = [d for d in data
                  if not any(fnmatch.fnmatch(d, pat) or fnmatch.fnmatch(d, pat.lstrip("*/"))
                              for pat in patterns)]
    assert undeclared == []


def test_readme_install_works_today() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    commands = [line.split("#")[0].strip() for line in install.splitlines()
                if line.startswith("pip install")]
    # no bare `pip install flytec` while flytec is not on PyPI
    assert commands and "pip install flytec" not in commands
    assert "pip install ./flytec" in commands
    assert f"dist/flytec-{flytec.__version__}-py3-none-any.whl" in install
    assert "CHANGELOG.md" in install
