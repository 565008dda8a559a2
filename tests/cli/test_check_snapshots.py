"""Snapshots of `flytec check` on examples/ in the text, json and sarif formats.

Review every change: `pytest tests/cli/test_check_snapshots.py --snapshot-update`, then read
the diff of tests/cli/__snapshots__/.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion

from flytec.cli import cli
from tests.conftest import REPO


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "concise", "github"])
def test_check_examples(fmt: str, snapshot: SnapshotAssertion) -> None:
    old = os.getcwd()
    os.chdir(REPO)
    try:
        r = CliRunner().invoke(cli, ["check", "examples", "--format", fmt, "--no-cache"])
    finally:
        os.chdir(old)
    assert r.exit_code == 1  # examples/buggy has findings
    assert r.output == snapshot
