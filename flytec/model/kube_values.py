"""What Kubernetes accepts in the fields flytec fills from user code.

The grammars of the API server and the kubelet, for the values a task environment sets:
image references (the OCI distribution grammar), environment variable names, Secret data
keys and object names, resource quantities, service account names and node label values.
Shared by the analyzer rule FLY610 (``flytec check``) and the manifest emitter
(``flytec build --target argo|jobs``), so both refuse the same values. Each function returns
``None`` for a valid value, else a short reason that completes "... is not valid: <reason>".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

# ----------------------------------------------------------------------------- images

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|-+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
IMAGE_RE = re.compile(
    rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*(?::{_TAG})?(?:@{_DIGEST})?")
#: the name part (before a tag or digest) of a reference is at most 255 characters
IMAGE_NAME_MAX = 255


def image_problem(ref: str) -> str | None:
    """An OCI image reference (``[host[:port]/]path[:tag][@digest]``), as the kubelet parses it."""
    if not ref:
        return "it is empty"
    if ref != ref.strip():
        return "it has leading or trailing whitespace"
    bad = sorted({c for c in ref if c.isspace() or not c.isprintable() or ord(c) > 127})
    if bad:
        return f"it contains {', '.join(repr(c) for c in bad)}"
    if not IMAGE_RE.fullmatch(ref):
        return ("not an image reference `[registry[:port]/]name[:tag][@digest]` (the name in"
                " lower case letters, digits and `.`, `_`, `-` separators)")
    name = ref.split("@", 1)[0]
    head, colon, tag = name.rpartition(":")
    if colon and "/" not in tag:
        name = head
    if len(name) > IMAGE_NAME_MAX:
        return f"the name is longer than {IMAGE_NAME_MAX} characters"
    return None


# ----------------------------------------------------------------------------- names

ENV_NAME_RE = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
SECRET_KEY_RE = re.compile(r"[-._a-zA-Z0-9]+")
_DNS_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
DNS_SUBDOMAIN_RE = re.compile(rf"{_DNS_LABEL}(?:\.{_DNS_LABEL})*")
LABEL_VALUE_RE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?")


def env_name_problem(name: str) -> str | None:
    """A container environment variable name (``[-._a-zA-Z][-._a-zA-Z0-9]*``)."""
    if not ENV_NAME_RE.fullmatch(name):
        return ("an environment variable name is a letter, `_`, `-` or `.`, then letters,"
                " digits, `_`, `-` or `.`")
    return None


def secret_key_problem(key: str) -> str | None:
    """A key of a Secret's data (``[-._a-zA-Z0-9]+``, at most 253 characters)."""
    if len(key) > 253:
        return "a Secret key is at most 253 characters"
    if not SECRET_KEY_RE.fullmatch(key) or key in (".", ".."):
        return "a Secret key is letters, digits, `-`, `_` and `.` (not `.` or `..`)"
    return None


def dns_subdomain_problem(name: str) -> str | None:
    """An object name (Secret, ServiceAccount): a DNS-1123 subdomain, at most 253 characters."""
    if len(name) > 253:
        return "a name is at most 253 characters"
    if not DNS_SUBDOMAIN_RE.fullmatch(name):
        return ("a name is lower case letters, digits, `-` and `.`, starting and ending with"
                " a letter or digit")
    return None


def label_value_problem(value: str) -> str | None:
    """A label value (used in node selectors): at most 63 of ``[-A-Za-z0-9_.]``."""
    if len(value) > 63 or not LABEL_VALUE_RE.fullmatch(value):
        return ("a label value is at most 63 letters, digits, `-`, `_` and `.`, starting and"
                " ending with a letter or digit")
    return None


# ----------------------------------------------------------------------------- quantities

QUANTITY_RE = re.compile(
    r"(?P<num>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?")
_SUFFIX = {
    "": Decimal(1), "m": Decimal("0.001"), "k": Decimal(10) ** 3, "M": Decimal(10) ** 6,
    "G": Decimal(10) ** 9, "T": Decimal(10) ** 12, "P": Decimal(10) ** 15,
    "E": Decimal(10) ** 18, "Ki": Decimal(2) ** 10, "Mi": Decimal(2) ** 20,
    "Gi": Decimal(2) ** 30, "Ti": Decimal(2) ** 40, "Pi": Decimal(2) ** 50,
    "Ei": Decimal(2) ** 60,
}


def quantity_text(v: Any) -> str | None:
    """How flytec writes a resource value into a manifest (None: not a scalar it writes)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float, str)):
        return str(v)
    return None


def quantity_value(text: str) -> Decimal | None:
    """The amount of a Kubernetes quantity (``500Mi``, ``0.5``, ``250m``, ``1e3``), or None."""
    m = QUANTITY_RE.fullmatch(text)
    if m is None:
        return None
    try:
        num = Decimal(m.group("num"))
    except InvalidOperation:  # pragma: no cover - the regex admits only numbers
        return None
    suffix = m.group("suffix") or ""
    if suffix[:1] in ("e", "E"):
        return num.scaleb(int(suffix[1:]))
    return num * _SUFFIX[suffix]


def quantity_problem(text: str) -> str | None:
    """A resource request or limit: a non-negative quantity."""
    amount = quantity_value(text)
    if amount is None:
        return ("not a Kubernetes quantity (a number with an optional suffix: `m`, `k`, `M`,"
                " `G`, `Ki`, `Mi`, `Gi`... or an exponent, e.g. `500m`, `2`, `4Gi`)")
    if amount < 0:
        return "a resource quantity must not be negative"
    return None


#: Flyte's accelerator names and the node label values ``flyte`` maps them to
#: (flyte/_internal/runtime/resources_serde.py): ``gpu="A100 80G:8"`` is valid.
FLYTE_ACCELERATORS = {
    "A100": "nvidia-tesla-a100", "A100_80G": "nvidia-a100-80gb", "A100 80G": "nvidia-a100-80gb",
    "H100": "nvidia-tesla-h100", "A10": "nvidia-a10", "A10G": "nvidia-a10g",
    "A100G": "nvidia-a100g", "L4": "nvidia-l4", "L40s": "nvidia-l40s",
    "L4_VWS": "nvidia-l4-vws", "K80": "nvidia-tesla-k80", "M60": "nvidia-tesla-m60",
    "P4": "nvidia-tesla-p4", "P100": "nvidia-tesla-p100", "RTX_PRO_4500": "nvidia-rtx-pro-4500",
    "RTX_PRO_6000": "nvidia-rtx-pro-6000", "RTX PRO 6000": "nvidia-rtx-pro-6000",
    "T4": "nvidia-tesla-t4", "V100": "nvidia-tesla-v100", "V5E": "tpu-v5-lite-podslice",
    "V5P": "tpu-v5p-slice", "V6E": "tpu-v6e-slice",
}


def gpu_problem(v: Any) -> str | None:
    """``gpu=N`` or ``gpu="T4:1"``: a whole, non-negative count (and a label-safe device)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return "a GPU count must not be negative" if v < 0 else None
    if isinstance(v, str):
        device, _, count = v.partition(":")
        if count and (not count.isdigit() or not count.isascii()):
            return f"the GPU count {count!r} is not a whole number"
        if not device:
            return "the GPU device name is empty"
        return label_value_problem(FLYTE_ACCELERATORS.get(device, device))
    return None


def resource_problems(resources: dict[str, Any]) -> list[tuple[str, str]]:
    """(resource, reason) for each value of ``Resources(cpu, memory, disk, gpu)`` the API
    server rejects: bad quantities, negative ones, and a request above its limit."""
    out: list[tuple[str, str]] = []
    for key in ("cpu", "memory", "disk"):
        v = resources.get(key)
        pair = list(v) if isinstance(v, (list, tuple)) and len(v) == 2 else [v]
        amounts: list[Decimal | None] = []
        for x in pair:
            text = quantity_text(x)
            if text is None:
                amounts.append(None)
                continue
            problem = quantity_problem(text)
            if problem is not None:
                out.append((key, f"{text!r} is not valid: {problem}"))
                amounts.append(None)
            else:
                amounts.append(quantity_value(text))
        if len(amounts) == 2 and amounts[0] is not None and amounts[1] is not None \
                and amounts[0] > amounts[1]:
            out.append((key, f"the request {quantity_text(pair[0])!r} is above the limit"
                             f" {quantity_text(pair[1])!r}"))
    g = resources.get("gpu")
    problem = gpu_problem(g)
    if problem is not None:
        out.append(("gpu", f"{g!r} is not valid: {problem}"))
    return out


def secret_env_var(secret: dict[str, Any]) -> str:
    """The variable a secret is exposed as: ``as_env_var``, else ``GROUP_KEY`` upper-cased
    with ``-`` as ``_`` (as the SDK names it)."""
    if isinstance(secret.get("as_env_var"), str):
        return str(secret["as_env_var"])
    key = str(secret.get("key", ""))
    group = secret.get("group")
    name = f"{group}_{key}" if isinstance(group, str) and group else key
    return name.upper().replace("-", "_")


def secret_problems(secret: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, reason) for a ``flyte.Secret(key, group, as_env_var)`` Kubernetes rejects."""
    out: list[tuple[str, str]] = []
    key = secret.get("key")
    if not isinstance(key, str):
        return out
    problem = secret_key_problem(key)
    if problem is not None:
        out.append(("key", f"secret key {key!r} is not valid: {problem}"))
    group = secret.get("group")
    if isinstance(group, str) and group:
        problem = dns_subdomain_problem(group)
        if problem is not None:
            out.append(("group", f"secret group {group!r} names no possible Secret: {problem}"))
    var = secret_env_var(secret)
    problem = env_name_problem(var)
    derived = not isinstance(secret.get("as_env_var"), str)
    if problem is not None and not (derived and out):
        out.append(("as_env_var", f"the secret's variable {var!r} is not valid: {problem}"))
    return out
