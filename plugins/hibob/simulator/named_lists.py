"""Named lists (``department``, ``title``, ``site``, ``hobbies``) as HiBob serves them.

Items are ``{id, value, name, archived, children}`` nested to any depth. With
``includeArchived=false`` an archived item disappears together with its whole
subtree. The envelope key is ``items`` in HiBob's spec, ``values`` in clients in
the wild, and both in one live capture, so it is configurable.
"""

from __future__ import annotations

from typing import Any, Literal

from plugins.hibob.simulator.company import Company, Department

Envelope = Literal["items", "values", "both"]
AllListsShape = Literal["object", "array"]
LIST_NAMES = ("department", "title", "site", "hobbies")


def _item(item_id: int | str, name: str, archived: bool, children: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": item_id, "value": name, "name": name, "archived": archived, "children": children}


def _department_item(dept: Department, include_archived: bool) -> dict[str, Any]:
    children = [_department_item(c, include_archived) for c in dept.children if include_archived or not c.archived]
    return _item(dept.id, dept.name, dept.archived, children)


def list_items(company: Company, name: str, include_archived: bool) -> list[dict[str, Any]] | None:
    """The items of list ``name`` (case-sensitive), or None when no such list exists."""
    if name == "department":
        return [
            _department_item(d, include_archived) for d in company.departments if include_archived or not d.archived
        ]
    flat: list[tuple[int | str, str]]
    if name == "title":
        flat = list(company.titles)
    elif name == "site":
        flat = list(company.sites)
    elif name == "hobbies":
        flat = list(company.hobbies)
    else:
        return None
    return [_item(item_id, label, False, []) for item_id, label in flat]


def wrap(name: str, items: list[dict[str, Any]], envelope: Envelope) -> dict[str, Any]:
    """One list in the configured envelope."""
    body: dict[str, Any] = {"name": name}
    if envelope in ("items", "both"):
        body["items"] = items
    if envelope in ("values", "both"):
        body["values"] = items
    return body


def all_lists(company: Company, include_archived: bool, envelope: Envelope, shape: AllListsShape) -> Any:
    """``GET /v1/company/named-lists``: every list, keyed by name (what clients read)
    or as an array (what the spec says)."""
    wrapped = {}
    for name in LIST_NAMES:
        items = list_items(company, name, include_archived)
        if items is not None:
            wrapped[name] = wrap(name, items, envelope)
    return wrapped if shape == "object" else list(wrapped.values())
