"""Where a HiBob people-search record keeps each value, and what a JSON value is.

A record carries a value in the nested form (``{"work": {"department": "209"}}``,
root fields at the top level) and under a slash key (``"/work/department":
{"value": "209"}``, sent only for non-null values); HiBob omits a field the
service user may not read. These helpers answer where to look and whether a field
was sent, without reading its value.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

HUMAN_READABLE = "humanReadable"
"""The node ``humanReadable: "APPEND"`` adds: display values mirroring the nested form."""

_JSON_KINDS: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
}


def json_kind(value: Any) -> str:
    """What a parsed JSON value is, in JSON's words, without echoing it (it may hold personal data)."""
    return "null" if value is None else _JSON_KINDS.get(type(value), "something else")


@functools.cache
def nested_path(field_id: str) -> tuple[str, ...]:
    """Where a field sits in the nested form (cached: the sync asks per record): ``root.*`` at the top level
    (``root.id`` → ``id``), any other category under its own key
    (``payroll.employment.type`` → ``payroll`` / ``employment`` / ``type``)."""
    parts = tuple(field_id.split("."))
    return parts[1:] if parts[0] == "root" else parts


@functools.cache
def slash_key(field_id: str) -> str:
    """The flat key HiBob also sends for a non-null field: ``work.department`` → ``/work/department``."""
    return "/" + field_id.replace(".", "/")


def has_nested(record: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    """Whether the nested form holds the key at ``path`` (a permitted null counts)."""
    node: Any = record
    for key in path:
        if not (type(node) is dict or isinstance(node, Mapping)) or key not in node:
            return False
        node = node[key]
    return True


def field_present(record: Mapping[str, Any], field_id: str) -> bool:
    """Whether a record carries ``field_id`` in either form.

    HiBob silently omits a field the service user may not read, so absence in
    both forms means "not permitted" (or unknown), while a permitted null is
    still present in the nested form.
    """
    return has_nested(record, nested_path(field_id)) or slash_key(field_id) in record
