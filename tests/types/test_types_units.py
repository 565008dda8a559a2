"""Small pieces: mypy output parsing, positions, type wording and task names."""

from __future__ import annotations

import ast

from flytec.analyzer.types.call_sites import SourceFile, callee
from flytec.analyzer.types.classify import humanize
from flytec.analyzer.types.mypy_output import parse_mypy_output
from flytec.analyzer.types.task_names import task_names
from flytec.model.span import Span


def test_notes_attach_to_the_error_before_them() -> None:
    lines = [
        'a.py:3:5:3:12: error: Value of type "Coroutine[Any, Any, int]" must be used  '
        "[unused-coroutine]",
        "a.py:3:5:3:12: note: Are you missing an await?",
        'a.py:9:1:9:2: note: Revealed type is "int"',
        "not a message",
    ]
    first, second = parse_mypy_output(lines)
    assert (first.line, first.column, first.end_line, first.end_column) == (3, 5, 3, 12)
    assert first.code == "unused-coroutine" and first.notes == ("Are you missing an await?",)
    assert first.has_note("missing an await")
    assert second.severity == "note" and second.code == "" and second.line == 9


def test_paths_with_colons_and_messages_without_columns() -> None:
    (message,) = parse_mypy_output(
        ['C:\\work\\a.py:7: error: Name "x" is not defined  [name-defined]']
    )
    assert message.path == "C:\\work\\a.py" and message.line == 7 and message.column == 1
    assert message.code == "name-defined" and message.message == 'Name "x" is not defined'


def test_spans_count_characters_not_bytes() -> None:
    source = SourceFile('x = f("é", "2")\n')
    # mypy's columns are UTF-8 byte offsets: "2" starts at byte 12, ends at byte 15.
    assert source.char_span(1, 13, 1, 15) == Span(1, 12, 1, 15)
    node = source.node_at(1, 13, 1, 15)
    assert isinstance(node, ast.Constant) and node.value == "2"


def test_node_at_prefers_the_exact_expression() -> None:
    source = SourceFile("async def m():\n    a = await add(1, y=2)\n")
    call = source.node_at(2, 15, 2, 25)
    assert isinstance(call, ast.Call)
    awaited = source.node_at(2, 9, 2, 25)
    assert isinstance(awaited, ast.Await)


def test_callee_sees_through_aio_forward_and_override() -> None:
    def first_call(code: str) -> ast.Call:
        node = ast.parse(code).body[0]
        assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
        return node.value

    found = callee(first_call("mod.add.aio(1)"))
    assert found is not None and found.parts == ("mod", "add") and found.method == "aio"
    found = callee(first_call("add.override(retries=2)(1)"))
    assert found is not None and found.parts == ("add",) and found.method == "override"
    assert callee(first_call("tasks[0](1)")) is None


def test_humanize_says_task_types_in_task_terms() -> None:
    text = 'Revealed type is "flyte._task.AsyncTask[[x: int, y: list[int]], tuple[int, str]]"'
    assert humanize(text) == (
        'Revealed type is "async task (x: int, y: list[int]) -> tuple[int, str]"'
    )
    assert humanize('"SyncTask[[], None]" here') == '"sync task () -> None" here'
    assert humanize("nothing to change") == "nothing to change"


def test_task_names_from_environments() -> None:
    tree = ast.parse(
        "import flyte\n"
        'env = flyte.TaskEnvironment(name="etl")\n'
        'other = env.clone_with(name="etl-worker")\n'
        "@env.task\nasync def a() -> None: ...\n"
        "@other.task(retries=2)\ndef b() -> None: ...\n"
        "def plain() -> None: ...\n"
    )
    assert task_names(tree) == {"a": "etl.a", "b": "etl-worker.b"}
