"""Rendering the jinja2 templates of this package into Kubernetes objects.

Every ``{{ ... }}`` in a template must go through ``tojson``: the environment's ``finalize``
rejects anything else, so a name or string from user code can never inject YAML. The rendered
text is parsed back with ``yaml.safe_load`` (checking it is well formed) and written out with
``yaml.safe_dump``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from flytec.model.safe_text import has_unsafe


class TemplateError(Exception):
    """A template printed a value without ``tojson`` (a flytec bug)."""


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    raise TemplateError(f"template value {value!r} was not passed through tojson")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("flytec.codegen.k8s", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    # ASCII-only JSON: YAML reads U+0085, U+2028 and U+2029 in a scalar as line breaks and
    # refuses C1 control characters; escaped, every string parses back as it was (the file
    # itself is written by dump_yaml, which keeps readable text readable)
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": True}
    return env


def render_objects(template: str, **context: Any) -> list[dict[str, Any]]:
    """Render ``template`` and parse it: one object per YAML document."""
    text = environment().get_template(template).render(**context)
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (the plan JSON) as literal blocks, so they stay readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(objects: list[dict[str, Any]]) -> str:
    """Objects as multi-document YAML, byte-identical for identical objects.

    Readable text stays readable, but YAML counts bidirectional overrides as printable: a
    document that would hold one raw is written with every non-ASCII character escaped, so
    a manifest never shows text in another order than it has (flytec.model.safe_text)."""
    text = yaml.dump_all(
        objects, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
        allow_unicode=True, width=100,
    )
    if has_unsafe(text):
        text = yaml.dump_all(
            objects, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
            allow_unicode=False, width=100,
        )
    return text
