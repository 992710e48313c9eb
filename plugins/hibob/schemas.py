"""HiBob payloads loaded with marshmallow into immutable records.

Every schema derives from :class:`BaseSchema`, whose ``unknown = EXCLUDE`` lets
HiBob add keys without breaking a sync (marshmallow 4 does not pass ``unknown``
down to nested schemas, so every schema inherits it here). A malformed payload
becomes a :class:`~framework.host.errors.PayloadError` naming the endpoint and the
record's position, never the person.

A people-search record carries each value twice: in the nested form
(``{"work": {"department": "209"}}``, root fields at the top level) and under a
slash key (``"/work/department": {"value": "209"}``, sent only for non-null
values). A :class:`RecordSchema` loads it the way marshmallow intends: its
``pre_load`` picks the value of each declared HiBob field id (nested form first,
slash key second) into a flat dict keyed by field id, each field's ``data_key``
is that field id, the fields convert and validate, and ``post_load`` builds the
immutable record.

Fields that decide identity, status or membership (``root.id``,
``internal.lifecycleStatus``, ``work.department``) are strict: a value of the
wrong type fails the sync. Fields only copied to the profile are
:class:`Described`: a shape they cannot read becomes an :class:`Unreadable`
marker, which :class:`EmployeeSchema` turns into None and lists in
:attr:`Employee.unreadable` so the sync can warn about it, counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load

from framework.host.errors import PayloadError
from plugins.hibob.fields import (
    Described,
    DescribedDate,
    DescribedId,
    DescribedText,
    EmailAddress,
    Identifier,
    Manager,
    PersonId,
    ReportsTo,
    Text,
    Unreadable,
)
from plugins.hibob.shapes import HUMAN_READABLE, field_present, json_kind, nested_path, slash_key


class BaseSchema(Schema):
    """The base of every schema here: keys the connector does not read are dropped.

    Fields declared with ``load_default=None`` (which also allows null) are the
    ones a permission group can hide: HiBob omits them without an error.
    """

    class Meta:
        unknown = EXCLUDE


class RecordSchema(BaseSchema):
    """A flat schema over people-search records.

    Each field's ``data_key`` is the HiBob field id it reads (``work.department``),
    or ``humanReadable.<path>`` for a display label, which has no slash key. The
    people-search ``fields`` to request are exactly the declared field ids
    (:attr:`requested_fields`). The picking plan is computed once per instance:
    reuse instances.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        field_ids = [field.data_key or name for name, field in self.load_fields.items()]
        self.requested_fields: tuple[str, ...] = tuple(f for f in field_ids if not f.startswith(HUMAN_READABLE + "."))
        """The people-search ``fields`` to ask for: exactly what this schema reads."""
        groups: dict[tuple[str, ...], list[tuple[str, str | None, str]]] = {}
        for field_id in field_ids:
            label = field_id.startswith(HUMAN_READABLE + ".")
            path = tuple(field_id.split(".")) if label else nested_path(field_id)
            groups.setdefault(path[:-1], []).append((path[-1], None if label else slash_key(field_id), field_id))
        self._groups = tuple((parents, tuple(reads)) for parents, reads in groups.items())
        self.described: tuple[tuple[str, str], ...] = tuple(
            (field.attribute or name, field.data_key or name)
            for name, field in self.load_fields.items()
            if isinstance(field, Described)
        )
        """``(attribute, field id)`` of each :class:`Described` field."""

    @pre_load
    def pick(self, record: Any, **kwargs: Any) -> dict[str, Any]:
        """``{field id: value}`` for each declared field the record holds.

        A value comes from the nested form when it holds the key, a permitted
        null included, else from the slash key; a field in neither is left out
        (HiBob omits what the service user may not read) and gets its default.
        A null or missing category counts as absent (its slash keys may still
        hold values); a category that is not an object is malformed, except the
        ``humanReadable`` node, whose labels are only described.

        :raises ValidationError: the record, or a category in it, is not an object.
        """
        if type(record) is not dict:
            raise ValidationError(f"Not a valid record (got {json_kind(record)}).")
        picked: dict[str, Any] = {}
        for parents, reads in self._groups:
            node: Any = record
            for parent in parents:
                node = node.get(parent)
                if type(node) is not dict:
                    if node is not None and parents[0] != HUMAN_READABLE:
                        raise ValidationError(["Not a valid object."], ".".join(parents))
                    node = None
                    break
            for leaf, slash, field_id in reads:
                if node is not None and leaf in node:
                    picked[field_id] = node[leaf]
                elif slash is not None:
                    holder = record.get(slash)
                    if type(holder) is dict and "value" in holder:
                        picked[field_id] = holder["value"]
        return picked


class Employee(NamedTuple):
    """One people-search record, both of HiBob's forms merged (nested first).

    Flat, with :class:`EmployeeSchema`'s field names, and immutable. A named
    tuple because one is built per employee (1.5 µs, against 6 µs for a frozen
    dataclass).
    """

    id: str
    email: str | None = None
    """``root.email``, trimmed; None when blank."""
    first_name: str | None = None
    surname: str | None = None
    display_name: str | None = None
    department: str | None = None
    """``work.department``: a list item id (some tenants send the department's name)."""
    title: str | None = None
    """``work.title``: a list item id."""
    reports_to_id: str | None = None
    reports_to_email: str | None = None
    reports_to_first_name: str | None = None
    reports_to_surname: str | None = None
    reports_to_display_name: str | None = None
    manager_id: str | None = None
    """``work.manager``: the same person as ``work.reportsTo``, as an id."""
    employee_number: str | None = None
    start_date: str | None = None
    """ISO ``YYYY-MM-DD``."""
    site: str | None = None
    lifecycle_status: str | None = None
    status: str | None = None
    """``internal.status``: ``Active`` or ``Inactive``."""
    termination_date: str | None = None
    """ISO ``YYYY-MM-DD``."""
    department_label: str | None = None
    title_label: str | None = None
    manager_label: str | None = None
    """Display values from the ``humanReadable`` node (``humanReadable: "APPEND"``)."""
    unreadable: tuple[tuple[str, str], ...] = ()
    """``(field id, shape)`` of each described value whose shape could not be read (it loaded as
    None): ``("work.reportsTo", "a blank string")``."""


class EmployeeSchema(RecordSchema):
    """A people-search record as a sync reads it, loaded into an :class:`Employee`.

    ``root.id`` is the one field a record cannot do without. Strict:
    ``root.id``, ``root.email``, ``work.department``, ``work.employeeIdInCompany``,
    ``internal.*``. Every other field is :class:`Described`.
    """

    id = Identifier(data_key="root.id", required=True)
    email = EmailAddress(data_key="root.email", load_default=None, allow_none=True)
    first_name = DescribedText(data_key="root.firstName", load_default=None, allow_none=True)
    surname = DescribedText(data_key="root.surname", load_default=None, allow_none=True)
    display_name = DescribedText(data_key="root.displayName", load_default=None, allow_none=True)
    department = Identifier(data_key="work.department", load_default=None, allow_none=True)
    title = DescribedId(data_key="work.title", load_default=None, allow_none=True)
    reports_to = Manager(data_key="work.reportsTo", load_default=None, allow_none=True)
    manager_id = PersonId(data_key="work.manager", load_default=None, allow_none=True)
    employee_number = Identifier(data_key="work.employeeIdInCompany", load_default=None, allow_none=True)
    start_date = DescribedDate(data_key="work.startDate", load_default=None, allow_none=True)
    site = DescribedText(data_key="work.site", load_default=None, allow_none=True)
    lifecycle_status = Text(data_key="internal.lifecycleStatus", load_default=None, allow_none=True)
    status = Text(data_key="internal.status", load_default=None, allow_none=True)
    termination_date = DescribedDate(data_key="internal.terminationDate", load_default=None, allow_none=True)
    department_label = DescribedText(data_key="humanReadable.work.department", load_default=None, allow_none=True)
    title_label = DescribedText(data_key="humanReadable.work.title", load_default=None, allow_none=True)
    manager_label = DescribedText(data_key="humanReadable.work.manager", load_default=None, allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Employee:
        """The immutable record; an :class:`Unreadable` value becomes None and is listed."""
        unreadable: list[tuple[str, str]] = []
        for attr, field_id in self.described:
            value = data[attr]
            if type(value) is Unreadable:
                data[attr] = None
                unreadable.append((field_id, value.shape))
        manager: ReportsTo | None = data.pop("reports_to")
        if manager is not None:
            (
                data["reports_to_id"],
                data["reports_to_email"],
                data["reports_to_first_name"],
                data["reports_to_surname"],
                data["reports_to_display_name"],
            ) = manager
        return Employee(unreadable=tuple(unreadable), **data)


class IdSchema(RecordSchema):
    """Only who a person is: the id listing of a batched sync. Loads into ``{"id": str}``."""

    id = Identifier(data_key="root.id", required=True)


@dataclass(frozen=True, slots=True)
class DepartmentItem:
    """One item of the ``department`` named list, with its sub-departments."""

    id: str
    name: str
    archived: bool
    children: tuple[DepartmentItem, ...] = ()


class DepartmentItemSchema(BaseSchema):
    """One item's own fields. Its ``children`` stay raw: :func:`load_departments` loads them
    one by one with an explicit stack, because trees nest to any depth and nested schemas
    recurse (Python's stack ends near 100 levels)."""

    id = Identifier(required=True)
    name = fields.String(load_default=None)
    value = fields.String(load_default=None)
    archived = fields.Boolean(load_default=None)
    children = fields.List(fields.Raw(), load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> tuple[DepartmentItem, list[Any]]:
        """The item without children, and its raw children. ``name`` and ``value`` have been
        equal in every example; either will do."""
        item = DepartmentItem(
            id=data["id"], name=data["name"] or data["value"] or data["id"], archived=bool(data["archived"])
        )
        return item, list(data["children"] or ())


class DepartmentListSchema(BaseSchema):
    """The named-list envelope: the spec says ``items``, clients in the wild read
    ``values``, and a live answer carried both. The raw roots of every present key are
    returned; the department index drops the repeats."""

    items = fields.List(fields.Raw(), load_default=None)
    values = fields.List(fields.Raw(), load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> list[Any]:
        if data["items"] is None and data["values"] is None:
            raise ValidationError("the answer holds neither an 'items' nor a 'values' list")
        return [*(data["items"] or ()), *(data["values"] or ())]


EMPLOYEE_SCHEMA = EmployeeSchema()
ID_SCHEMA = IdSchema()
DEPARTMENT_LIST_SCHEMA = DepartmentListSchema()
DEPARTMENT_ITEM_SCHEMA = DepartmentItemSchema()
EMPLOYEE_FIELDS = EMPLOYEE_SCHEMA.requested_fields
"""The people-search ``fields`` a sync asks for: exactly what :class:`EmployeeSchema` reads."""


def load_records(schema: RecordSchema, records: list[Any], endpoint: str, first: int = 0) -> list[Any]:
    """Load a batch of people-search records with one ``schema.load(many=True)``.

    ``first`` is the position of ``records[0]`` in the answer (counting from 0).

    :raises PayloadError: a record is malformed; the message names the endpoint,
        the record's position and the HiBob field ids at fault, never a value.
    """
    try:
        loaded: list[Any] = schema.load(records, many=True)
    except ValidationError:
        raise _record_error(schema, records, endpoint, first) from None
    return loaded


def load_record(schema: RecordSchema, record: Any, endpoint: str) -> Any:
    """Load one people-search record (see :func:`load_records`)."""
    return load_records(schema, [record], endpoint)[0]


def load_departments(body: Any, endpoint: str) -> tuple[DepartmentItem, ...]:
    """Read the department named list into its root items.

    :raises PayloadError: the list is malformed; the message names the endpoint.
    """
    try:
        raw_roots: list[Any] = DEPARTMENT_LIST_SCHEMA.load(body)
        roots: list[DepartmentItem] = []
        # Depth first, children before their parent (an item is immutable): each entry is an
        # item, its raw children, and the children built so far.
        stack: list[tuple[DepartmentItem, list[Any], list[DepartmentItem]]] = []
        for raw_root in raw_roots:
            stack.append((*DEPARTMENT_ITEM_SCHEMA.load(raw_root), []))
            while stack:
                item, raw_children, built = stack[-1]
                if len(built) < len(raw_children):
                    stack.append((*DEPARTMENT_ITEM_SCHEMA.load(raw_children[len(built)]), []))
                    continue
                stack.pop()
                done = replace(item, children=tuple(built))
                (stack[-1][2] if stack else roots).append(done)
    except ValidationError as exc:
        raise _payload_error(endpoint, exc.messages) from None
    return tuple(roots)


def _record_error(schema: RecordSchema, records: list[Any], endpoint: str, first: int) -> PayloadError:
    """The error for the first bad record of a batch, found by loading them one by one
    (a ``pre_load`` error does not say which record it was). A record without
    ``root.id`` in either form most likely comes from a permission group without
    the root category: say so."""
    for index, record in enumerate(records):
        try:
            schema.load(record)
        except ValidationError as exc:
            where = f"{endpoint} (employee record {first + index + 1})"
            if isinstance(record, Mapping) and not field_present(record, "root.id"):
                where = f"{where[:-1]}, without root.id: is the 'root' category granted?)"
            return _payload_error(where, exc.messages)
    raise AssertionError("a batch that failed to load has a record that fails alone")


def _payload_error(where: str, messages: Any) -> PayloadError:
    detail = str(messages)
    if len(detail) > 300:
        detail = detail[:300] + "..."
    return PayloadError(f"{where} answered with an unexpected payload: {detail}")
