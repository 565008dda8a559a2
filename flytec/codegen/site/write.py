"""Writing the review site into its directory, safely: a directory that holds anything but
an earlier report is refused (nothing of the user's is ever overwritten or deleted), and an
earlier report's pages that the new one does not have are removed, so no link of the new
report points at a stale page. ``.flytec-report`` lists the files a report wrote."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

MARKER = ".flytec-report"
_HEADER = "# written by `flytec report`; the next report replaces these files\n"


class SiteError(Exception):
    """The report cannot be written there (one line, naming the directory)."""


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


def previous_files(out_dir: Path) -> list[str]:
    """The files an earlier report wrote in ``out_dir`` (``[]`` for a new or empty
    directory); raises SiteError for a file, or a directory holding something else."""
    if out_dir.exists() and not out_dir.is_dir():
        raise SiteError(f"{out_dir}: not a directory")
    if not out_dir.exists():
        return []
    marker = out_dir / MARKER
    try:
        if not marker.is_file():
            if any(out_dir.iterdir()):
                raise SiteError(f"{out_dir}: the directory is not empty and holds no earlier "
                                "report; name a new or empty directory")
            return []
        text = marker.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise SiteError(f"{out_dir}: cannot read the directory ({_reason(e)})") from e
    return [line for line in text.splitlines() if line and not line.startswith("#")
            and _inside(line)]


def make_dir(out_dir: Path) -> None:
    """Create ``out_dir`` (and its parents); raises SiteError when it cannot be written."""
    import os

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SiteError(f"{out_dir}: cannot create the directory ({_reason(e)})") from e
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise SiteError(f"{out_dir}: cannot write in the directory (permission denied)")


def _inside(rel: str) -> bool:
    p = PurePosixPath(rel)
    return not p.is_absolute() and ".." not in p.parts and "\\" not in rel


def write_site(out_dir: Path, pages: Iterable[tuple[str, bytes]],
               previous: list[str]) -> list[str]:
    """Write the pages, then remove what is left of the previous report; the paths written."""
    written: list[str] = []
    make_dir(out_dir)
    made: set[Path] = {out_dir}
    for rel, data in pages:
        target = out_dir / rel
        try:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
        except OSError as e:
            raise SiteError(f"{target}: cannot write ({_reason(e)})") from e
        written.append(rel)
    new = set(written)
    try:
        for rel in previous:
            if rel not in new:
                (out_dir / rel).unlink(missing_ok=True)
        for rel in sorted({str(PurePosixPath(r).parent) for r in previous} - {"."}):
            folder = out_dir / rel
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        (out_dir / MARKER).write_text(_HEADER + "".join(f"{r}\n" for r in sorted(new)),
                                      encoding="utf-8")
    except OSError as e:
        raise SiteError(f"{out_dir}: cannot update the earlier report ({_reason(e)})") from e
    return written
