"""Names made valid for Argo and Kubernetes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flytec.codegen.k8s.names import LABEL_RE, UniqueNames, label, param


def test_underscores_and_case_become_dashes() -> None:
    assert label("etl_worker.Extract_Day") == "etl-worker-extract-day"


def test_leading_digit_or_nothing_gets_a_letter() -> None:
    assert label("2fast") == "x-2fast"
    assert label("___") == "x"


def test_long_names_are_cut_with_a_hash_and_stay_distinct() -> None:
    a, b = label("a" * 80 + "_one"), label("a" * 80 + "_two")
    assert len(a) <= 63 and len(b) <= 63 and a != b


def test_unique_names_count_up_and_are_stable() -> None:
    names = UniqueNames()
    assert names.get("k1", "load") == "load"
    assert names.get("k2", "load") == "load-2"
    assert names.get("k1", "load") == "load"


def test_param_names() -> None:
    assert param("max_steps") == "max_steps"
    assert param("a.b c") == "a-b-c"


@given(st.text(max_size=120))
def test_any_text_gives_a_valid_label(text: str) -> None:
    name = label(text)
    assert LABEL_RE.match(name) and len(name) <= 63
