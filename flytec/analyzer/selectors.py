"""Rule selectors (``--select``, ``--ignore``, ``select``/``ignore``/``per-file-ignores``/
``severity`` in the configuration) checked against the registry: a typo is an error naming the
closest valid code, never a silently empty selection."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable

from flytec.analyzer.registry import iter_codes
from flytec.config import Config, ConfigError


def known_codes() -> list[str]:
    return list(iter_codes())


def is_known_selector(selector: str, codes: Iterable[str] | None = None) -> bool:
    """A code or a prefix of at least one code (``FLY1``, ``FLY10``, ``FLY103``)."""
    return any(c.startswith(selector) for c in (codes if codes is not None else iter_codes()))


def closest_code(code: str, codes: Iterable[str] | None = None) -> str | None:
    """The valid code a typo most likely meant: a code with the same characters in another
    order (``FLY130`` -> ``FLY103``) first, else the most similar one."""
    pool = list(codes if codes is not None else iter_codes())
    if len(code) == 6:
        same = [c for c in pool if sorted(c) == sorted(code)]
        if same:
            return min(same, key=lambda c: sum(a != b for a, b in zip(c, code)))
    same_length = sorted({c[: len(code)] for c in pool}) if 3 < len(code) < 6 else pool
    if not same_length:
        return None

    def score(c: str) -> tuple[int, float]:
        shared = len(os.path.commonprefix([c, code]))
        return shared, difflib.SequenceMatcher(None, c, code).ratio()

    best = max(same_length, key=lambda c: (*score(c), c < code))
    return best if score(best)[1] >= 0.5 else None


def unknown_selector_message(selector: str) -> str:
    hint = closest_code(selector)
    tail = f" (did you mean `{hint}`?)" if hint else ""
    return f"unknown rule selector `{selector}`{tail}; `flytec rules` lists the codes"


def check_selectors(selectors: Iterable[str], where: str) -> None:
    """Raise ConfigError for the first selector that names no rule."""
    codes = known_codes()
    for s in selectors:
        if not is_known_selector(s, codes):
            raise ConfigError(f"{where}: {unknown_selector_message(s)}")


def check_config_codes(config: Config) -> None:
    """Every code the configuration names must select at least one rule."""
    where = config.source or "configuration"
    check_selectors(config.select, f"{where}: `select`")
    check_selectors(config.ignore, f"{where}: `ignore`")
    for pattern, codes in config.per_file_ignores.items():
        check_selectors(codes, f"{where}: `per-file-ignores` (\"{pattern}\")")
    check_selectors(config.severity, f"{where}: `severity`")
