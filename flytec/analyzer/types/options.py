"""How the type check runs: what the CLI flag ``--types`` and ``[tool.flytec] types`` turn on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

StubsMode = Literal["auto", "always", "never"]
"""Whether mypy sees flytec's Flyte stubs: ``auto`` when the real ``flyte`` is not installed,
``always`` even when it is (the stubs type more: map elements, ``override``, ``trace``), or
``never``."""


@dataclass(frozen=True)
class TypeCheckOptions:
    """Options of :func:`flytec.analyzer.types.check_types`.

    ``tasks`` maps a task function's qualified name (``"pkg.mod.add"``) or bare name
    (``"add"``) to its display name (``"env.add"``); tasks not in it are named from their
    ``TaskEnvironment(name=...)`` when flytec can read it, else by the function name.
    ``mypy_cache_dir`` overrides where mypy keeps its cache (default
    ``<root>/.flytec_cache/mypy/``).
    """

    show_other: bool = False
    stubs: StubsMode = "auto"
    python_executable: str | None = None
    mypy_config: Path | None = None
    tasks: Mapping[str, str] = field(default_factory=dict)
    use_cache: bool = True  # False: nothing is written (mypy's cache goes to os.devnull)
    mypy_cache_dir: Path | None = None
    cache_root: Path | None = None  # flytec's cache folder (default <root>/.flytec_cache)
