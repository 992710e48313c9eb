"""``connector export``: resources, entitlements or grants for spreadsheets and other tools.

Rows stream from the store one at a time, so a 100,000-user sync is never held
in memory. JSONL rows have the shapes of ``connector resources|entitlements|grants
--output json``; CSV rows are those shapes flattened.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

import orjson

from framework.host.errors import ConfigError
from framework.read.queries import entitlement_json, grant_json, primary_email, resource_json
from framework.store.file import Store

EXPORT_KINDS = ("resources", "entitlements", "grants")
FORMULA_CHARS = frozenset("=+-@\u2212")
"""A cell whose first visible character is one of these (after NFKC folds full-width and small
forms such as U+FF1D and U+FE62 to ASCII; U+2212 is the minus sign) is a formula to a spreadsheet."""
_INVISIBLE_START = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff]*")
"""Leading characters a spreadsheet skips before reading a formula: whitespace (NBSP and the
other Unicode spaces included), controls, zero-width characters and the byte order mark."""


Flatten = Callable[[Mapping[str, Any]], dict[str, Any]]


def _flat_resource(resource: Mapping[str, Any]) -> dict[str, Any]:
    parent = resource["parent"] or {}
    flat = {
        "resource_type": resource["resource_type"],
        "id": resource["id"],
        "display_name": resource["display_name"],
        "status": resource["status"],
        "parent_type": parent.get("resource_type"),
        "parent_id": parent.get("id"),
        "email": primary_email(resource),
        "emails": "; ".join(e["address"] for e in resource["emails"]),
        "employee_ids": "; ".join(resource["employee_ids"]),
    }
    return flat | {f"profile.{key}": value for key, value in resource["profile"].items()}


def _flat_grant(grant: Mapping[str, Any]) -> dict[str, Any]:
    entitlement, principal = grant["entitlement"], grant["principal"]
    return {
        "id": grant["id"],
        "entitlement_id": entitlement["id"],
        "resource_type": entitlement["resource_type"],
        "resource_id": entitlement["resource_id"],
        "slug": entitlement["slug"],
        "principal_type": principal["resource_type"],
        "principal_id": principal["id"],
    }


RESOURCE_COLUMNS = (
    "resource_type",
    "id",
    "display_name",
    "status",
    "parent_type",
    "parent_id",
    "email",
    "emails",
    "employee_ids",
)
ENTITLEMENT_COLUMNS = ("id", "resource_type", "resource_id", "slug", "display_name", "description")
GRANT_COLUMNS = ("id", "entitlement_id", "resource_type", "resource_id", "slug", "principal_type", "principal_id")


def export_rows(
    store: Store, sync_id: int, kind: str, resource_type: str | None = None
) -> tuple[list[str], Iterator[dict[str, Any]], Flatten]:
    """CSV header, a stream of JSON-shaped rows, and how to flatten one row for CSV.

    The rows have the same shape as ``connector resources|entitlements|grants
    --output json``; resource CSVs get one ``profile.<key>`` column per profile
    key found in the sync. ``resource_type`` narrows any kind to one type.
    ConfigError for an unknown ``kind``.
    """
    if kind not in EXPORT_KINDS:
        raise ConfigError(f"cannot export {kind!r}: choose one of {', '.join(EXPORT_KINDS)}")
    rows = store.export_stream(sync_id, kind, resource_type)
    if kind == "resources":
        keys = store.profile_keys(sync_id, resource_type)
        header = [*RESOURCE_COLUMNS, *(f"profile.{key}" for key in keys)]
        return header, (resource_json(row) for row in rows), _flat_resource
    if kind == "entitlements":
        return list(ENTITLEMENT_COLUMNS), (entitlement_json(row) for row in rows), dict
    return list(GRANT_COLUMNS), (grant_json(row) for row in rows), _flat_grant


def csv_safe(value: Any) -> str:
    """One CSV cell: JSON for lists, objects and booleans; text that would run as a formula is quoted.

    Spreadsheets execute a cell starting with ``=``, ``+``, ``-`` or ``@``, even behind
    leading spaces or as a full-width lookalike; HR data (names, titles) comes from
    people, so such text, and text starting with a control character, gets a leading
    ``'``, as OWASP advises. Numbers are left alone; ``--format jsonl`` keeps every value exact.
    """
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return "'" + value if _runs_as_formula(value) else value
    return str(value)


def _runs_as_formula(text: str) -> bool:
    skipped = _INVISIBLE_START.match(text)
    start = skipped.end() if skipped else 0
    if start and text[0] in "\t\r\n":
        return True
    return start < len(text) and unicodedata.normalize("NFKC", text[start])[:1] in FORMULA_CHARS


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Mapping[str, Any]], flatten: Flatten) -> int:
    """Header row, then one row per item, every field quoted as needed; returns the row count."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        flat = flatten(row)
        writer.writerow([csv_safe(flat.get(column)) for column in header])
        count += 1
    return count


def write_jsonl(out: TextIO, rows: Iterable[Mapping[str, Any]]) -> int:
    """One compact JSON object per line (UTF-8, keys in the documented order), written as
    the rows come; returns the row count."""
    count = 0
    for row in rows:
        out.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE).decode())
        count += 1
    return count
