"""Steps of a workflow as the user wrote them, for messages: node ids are internal and never
appear in what a user reads (tests/compiler/test_reason_messages.py checks every reason)."""

from __future__ import annotations

from flytec.model import workflow as w


def describe(n: w.WNode) -> str:
    """A step as the user wrote it, for messages (node ids are internal): what it is and
    its line."""
    if n.kind in (w.TASK, w.MAP, w.REMOTE) and n.task:
        what = f"`{'flyte.map(' + n.task + ')' if n.kind == w.MAP else n.task}`"
    elif n.kind == w.TRACE:
        what = f"`{(n.task_key or '').rpartition(':')[2]}`"
    elif n.kind in (w.BRANCH, w.LOOP) and n.attrs.get("condition"):
        kw = "if" if n.kind == w.BRANCH else "while"
        what = f"`{kw} {_clip(str(n.attrs['condition']))}`"
    elif n.kind == w.FANOUT:
        what = f"the loop over `{_clip(str(n.attrs.get('item', '')))}`"
    elif n.kind == w.GLUE and n.attrs.get("code"):
        what = f"`{_clip(str(n.attrs['code']).splitlines()[0])}`"
    elif n.kind == w.TRY:
        what = "`try`"
    else:
        what = n.kind
    return f"{what} (line {n.span.line})"


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
