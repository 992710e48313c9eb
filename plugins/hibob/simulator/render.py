"""Render people-search records exactly as HiBob shapes them.

Each record carries its data twice: a nested form (root fields at the top
level, other categories as objects; a permitted null field is present as null)
and flat ``"/category/field": {"value": ...}`` keys for non-null values only.
``APPEND`` adds a ``humanReadable`` mirror of the nested form (non-null values
only) and ``REPLACE`` serves display values in place of machine ones.

A :class:`RecordShape` compiles a field plan once. :meth:`RecordShape.render`
builds a record as a dict (the readable reference); :meth:`RecordShape.encode`
writes the same record straight to JSON text from a precomputed template, which
is several times faster and keeps 100,000-person answers to a few seconds. Tests
check that both produce identical text. :func:`encode_people` streams the whole
answer in byte pieces instead of building one giant string.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any, Literal, Union

from plugins.hibob.simulator.company import Employee
from plugins.hibob.simulator.fields import DEFAULT_FIELD_IDS, FIELDS_BY_ID, FieldSpec
from plugins.hibob.simulator.index import CompanyIndex

HumanMode = Literal["", "APPEND", "REPLACE"]
BATCH_SIZE = 500

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# A template node: leaves hold the index of their field in the plan.
_Node = list[tuple[str, Union[int, "_Node"]]]


def plan_fields(requested: Sequence[str] | None, categories: frozenset[str]) -> list[FieldSpec]:
    """The fields a record will hold: requested (or default), known and permitted, in
    request order without duplicates. Unknown and forbidden ids vanish silently."""
    wanted = DEFAULT_FIELD_IDS if requested is None else requested
    plan: list[FieldSpec] = []
    seen: set[str] = set()
    for field_id in wanted:
        spec = FIELDS_BY_ID.get(field_id)
        if spec is not None and spec.category in categories and field_id not in seen:
            seen.add(field_id)
            plan.append(spec)
    return plan


def _float(value: float) -> str:
    return float.__repr__(value) if math.isfinite(value) else _dumps(value)


def _list(value: list[Any]) -> str:
    return "[" + ",".join(map(encode_value, value)) + "]"


def _dict(value: dict[str, Any]) -> str:
    return "{" + ",".join([encode_basestring(k) + ":" + encode_value(v) for k, v in value.items()]) + "}"


_ENCODERS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    type(None): lambda _: "null",
    bool: lambda v: "true" if v else "false",
    int: int.__repr__,
    float: _float,
    list: _list,
    dict: _dict,
}


def encode_value(value: Any) -> str:
    """JSON text of one value, identical to ``json.dumps`` with compact separators and
    ``ensure_ascii=False``, without its per-call set-up cost."""
    return _ENCODERS.get(type(value), _dumps)(value)


class RecordShape:
    """A field plan compiled into the record's nested layout.

    Keys keep the order in which the plan first mentions them, so
    ``["root.id", "work.title", "root.email"]`` gives ``id``, ``work``, ``email``.
    """

    def __init__(self, plan: Sequence[FieldSpec]) -> None:
        self.plan = tuple(plan)
        self.tree: _Node = []
        objects: dict[tuple[str, ...], _Node] = {(): self.tree}
        for position, spec in enumerate(self.plan):
            path = spec.path
            node = self.tree
            for depth in range(1, len(path)):
                prefix = path[:depth]
                if prefix not in objects:
                    objects[prefix] = []
                    node.append((path[depth - 1], objects[prefix]))
                node = objects[prefix]
            node.append((path[-1], position))
        segments: list[str | int] = []
        _segments(self.tree, segments)
        literals, self.order = [""], []
        for segment in segments:
            if isinstance(segment, int):
                self.order.append(segment)
                literals.append("")
            else:
                literals[-1] += segment
        self.literals = literals[:-1]
        """The text before each value, values taken in ``self.order``."""
        self.closing = literals[-1][:-1]
        """What closes the nested form; the record's own brace comes after the slash keys."""
        escaped = [part.replace("{", "{{").replace("}", "}}") for part in [*self.literals, self.closing]]
        self.nested_format = "{}".join(escaped).format
        """Fills the nested form's template with encoded values in one C call."""
        self.slash_literals = ["," + encode_basestring(self.plan[i].slash_key) + ':{"value":' for i in self.order]
        self.human_literal = ',"humanReadable":' if self.order else '"humanReadable":'
        self.machines = [self.plan[i].machine for i in self.order]
        self.humans = [self.plan[i].human for i in self.order]
        self.paths = [self.plan[i].path for i in self.order]

    def _values(self, employee: Employee, index: CompanyIndex, mode: HumanMode) -> tuple[list[Any], Any]:
        values = [machine(employee, index) for machine in self.machines]
        if not mode:
            return values, None
        shown = [None if v is None else h(v, index) for v, h in zip(values, self.humans, strict=True)]
        if mode == "REPLACE":
            return shown, None
        human: dict[str, Any] = {}
        for path, value in zip(self.paths, shown, strict=True):
            if value is not None:
                _place(human, path, value)
        return values, human

    def render(self, employee: Employee, index: CompanyIndex, mode: HumanMode = "") -> dict[str, Any]:
        """One record as a dict (the reference form)."""
        values, human = self._values(employee, index, mode)
        by_position = dict(zip(self.order, values, strict=True))

        def build(node: _Node) -> dict[str, Any]:
            return {key: by_position[child] if isinstance(child, int) else build(child) for key, child in node}

        record = build(self.tree)
        for position, value in zip(self.order, values, strict=True):
            if value is not None:
                record[self.plan[position].slash_key] = {"value": value}
        if human is not None:
            record["humanReadable"] = human
        return record

    def encode(self, employee: Employee, index: CompanyIndex, mode: HumanMode = "") -> str:
        """The same record as :meth:`render`, written directly as compact JSON."""
        values, human = self._values(employee, index, mode)
        encoded = [encode_value(v) for v in values]
        text = self.nested_format(*encoded)
        slashes = "".join(
            [lit + enc + "}" for lit, v, enc in zip(self.slash_literals, values, encoded, strict=True) if v is not None]
        )
        if human is None:
            return text + slashes + "}"
        return text + slashes + self.human_literal + encode_value(human) + "}"


def _segments(node: _Node, out: list[str | int]) -> None:
    """The record layout as literal text with field positions where values go."""
    out.append("{")
    for n, (key, child) in enumerate(node):
        out.append(("," if n else "") + encode_basestring(key) + ":")
        if isinstance(child, int):
            out.append(child)
        else:
            _segments(child, out)
    out.append("}")


def _place(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = record
    for part in path[:-1]:
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        node = child
    node[path[-1]] = value


def render_employee(
    employee: Employee, plan: Sequence[FieldSpec], index: CompanyIndex, mode: HumanMode = ""
) -> dict[str, Any]:
    """One record of a people-search answer as a dict."""
    return RecordShape(plan).render(employee, index, mode)


def encode_people(
    people: Iterable[Employee],
    plan: Sequence[FieldSpec],
    index: CompanyIndex,
    mode: HumanMode,
    hidden: Callable[[Employee], frozenset[str]] | None = None,
) -> Iterator[bytes]:
    """The whole ``{"employees": [...]}`` document as a stream of byte pieces.

    ``hidden`` gives the categories to leave out of one person's record (a
    category granted for part of the audience); each distinct set gets its own
    compiled shape.
    """
    full = RecordShape(plan)
    shapes: dict[frozenset[str], RecordShape] = {frozenset(): full}
    yield b'{"employees":['
    batch: list[str] = []
    first = True
    for employee in people:
        shape = full
        if hidden is not None:
            left_out = hidden(employee)
            shape = shapes.get(left_out) or shapes.setdefault(
                left_out, RecordShape([spec for spec in plan if spec.category not in left_out])
            )
        batch.append(shape.encode(employee, index, mode))
        if len(batch) >= BATCH_SIZE:
            yield (("" if first else ",") + ",".join(batch)).encode("utf-8")
            first, batch = False, []
    if batch:
        yield (("" if first else ",") + ",".join(batch)).encode("utf-8")
    yield b"]}"
