"""The README's example output is what flytec prints today."""

from __future__ import annotations

import os
import re
import shlex

from click.testing import CliRunner

from flytec.cli import cli
from tests.conftest import REPO


def test_readme_example_output_is_current() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ (flytec [^\n]+)\n(.*?)```", text, re.S)
    assert block is not None
    args = shlex.split(block.group(1))[1:]
    old = os.getcwd()
    os.chdir(REPO)
    try:
        r = CliRunner().invoke(cli, [*args, "--no-cache"])
    finally:
        os.chdir(old)
    assert r.output.strip() == block.group(2).strip()
