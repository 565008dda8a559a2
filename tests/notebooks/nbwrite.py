"""Writing notebooks as Jupyter does (nbformat 4.5: one-space indent, sorted keys), for the
tests that build theirs (the equivalence and huge-output ones) and to regenerate data/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PYTHON_KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python",
                 "name": "python3"}


def cell(kind: str, source: str, number: int, outputs: list[Any] | None = None
         ) -> dict[str, Any]:
    c: dict[str, Any] = {"cell_type": kind, "id": f"cell-{number}", "metadata": {},
                         "source": source.splitlines(keepends=True)}
    if kind == "code":
        c["execution_count"] = None
        c["outputs"] = outputs or []
    return c


def notebook(cells: list[tuple[str, str]], *, language: str = "python",
             kernel: dict[str, str] | None = None,
             outputs: dict[int, list[Any]] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"kernelspec": kernel or PYTHON_KERNEL,
                            "language_info": {"name": language}}
    outs = outputs or {}
    return {"cells": [cell(k, s, i, outs.get(i)) for i, (k, s) in enumerate(cells, 1)],
            "metadata": meta, "nbformat": 4, "nbformat_minor": 5}


def write(path: Path, cells: list[tuple[str, str]], **kw: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = notebook(cells, **kw)
    path.write_text(json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
