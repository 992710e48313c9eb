"""HiBob payloads read with marshmallow into frozen dataclasses.

Every schema derives from :class:`BaseSchema`, whose ``unknown = EXCLUDE`` lets
HiBob add keys without breaking a sync (marshmallow 4 does not pass ``unknown``
down to nested schemas, so each one must inherit it). Schemas declare only the
fields the connector uses: with 100,000 employees, every declared field costs.
A malformed payload becomes a :class:`~framework.errors.PayloadError` naming the
endpoint, never a marshmallow traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load

from framework.errors import PayloadError

EMPLOYEE_FIELDS = (
    "root.id",
    "root.email",
    "root.firstName",
    "root.surname",
    "root.displayName",
    "work.department",
    "work.title",
    "work.reportsTo",
    "work.manager",
    "work.employeeIdInCompany",
    "work.startDate",
    "work.site",
    "internal.lifecycleStatus",
    "internal.status",
    "internal.terminationDate",
)
"""The people-search ``fields`` a sync asks for: exactly what :class:`EmployeeSchema` reads."""


def nested_path(field_id: str) -> tuple[str, ...]:
    """Where a field sits in the nested form: ``root.*`` at the top level
    (``root.id`` → ``id``), any other category under its own key
    (``payroll.employment.type`` → ``payroll`` / ``employment`` / ``type``)."""
    parts = tuple(field_id.split("."))
    return parts[1:] if parts[0] == "root" else parts


def slash_key(field_id: str) -> str:
    """The flat key HiBob also sends for a non-null field: ``work.department`` → ``/work/department``."""
    return "/" + field_id.replace(".", "/")


def has_nested(record: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    """Whether the nested form holds the key at ``path`` (a permitted null counts)."""
    node: Any = record
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
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


_SLASH_FALLBACKS = tuple((slash_key(field_id), nested_path(field_id)) for field_id in EMPLOYEE_FIELDS)
"""``(slash key, nested path)`` per field, computed once rather than per record."""


class BaseSchema(Schema):
    """The base of every schema here: keys the connector does not read are dropped.

    Fields declared with ``load_default=None`` (which also allows null) are the
    ones a permission group can hide: HiBob omits them without an error.
    """

    class Meta:
        unknown = EXCLUDE


class Identifier(fields.Field[str | None]):
    """A HiBob id, sent as a JSON number or a string, always kept as a string.

    Employee ids are 19-digit numbers: as strings they survive every hop intact,
    and ``12`` and ``"12"`` compare equal once both are strings. A blank string
    means "no value" where the field allows none.
    """

    default_error_messages = {"invalid": "Not a valid identifier (expected a string or an integer)."}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.make_error("invalid")
        text = str(value)
        if not text.strip():
            if self.allow_none:
                return None
            raise self.make_error("invalid")
        return text


class Label(fields.Field[str | None]):
    """A human-readable display value, used only as a label.

    Anything that is not a scalar reads as None: a surprising label must not stop
    a sync whose machine values are fine.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str | None:
        return str(value) if isinstance(value, str | int | float) else None


@dataclass(frozen=True, slots=True)
class Person:
    """Who ``work.reportsTo`` points at."""

    id: str | None = None
    email: str | None = None
    first_name: str | None = None
    surname: str | None = None
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class Work:
    """The ``work`` category, machine values (department and title are list item ids)."""

    department: str | None = None
    title: str | None = None
    site: str | None = None
    manager: str | None = None
    reports_to: Person | None = None
    employee_number: str | None = None
    start_date: str | None = None


@dataclass(frozen=True, slots=True)
class Internal:
    """The ``internal`` fields, which HiBob grants as the ``lifecycle`` category."""

    lifecycle_status: str | None = None
    status: str | None = None
    termination_date: str | None = None


@dataclass(frozen=True, slots=True)
class WorkLabels:
    """Display values from the ``humanReadable`` node (``humanReadable: "APPEND"``)."""

    department: str | None = None
    title: str | None = None
    manager: str | None = None


@dataclass(frozen=True, slots=True)
class Employee:
    """One people-search record, both of HiBob's forms merged (nested first)."""

    id: str
    email: str | None = None
    first_name: str | None = None
    surname: str | None = None
    display_name: str | None = None
    work: Work = Work()
    internal: Internal = Internal()
    labels: WorkLabels = WorkLabels()


class PersonSchema(BaseSchema):
    """The root fields; ``work.reportsTo`` repeats them for the manager."""

    id = Identifier(load_default=None)
    email = fields.String(load_default=None)
    first_name = fields.String(data_key="firstName", load_default=None)
    surname = fields.String(load_default=None)
    display_name = fields.String(data_key="displayName", load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Person:
        return Person(**data)


class WorkSchema(BaseSchema):
    department = Identifier(load_default=None)
    title = Identifier(load_default=None)
    site = fields.String(load_default=None)
    manager = Identifier(load_default=None)
    reports_to = fields.Nested(PersonSchema, data_key="reportsTo", load_default=None)
    employee_number = Identifier(data_key="employeeIdInCompany", load_default=None)
    start_date = fields.String(data_key="startDate", load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Work:
        return Work(**data)


class InternalSchema(BaseSchema):
    lifecycle_status = fields.String(data_key="lifecycleStatus", load_default=None)
    status = fields.String(load_default=None)
    termination_date = fields.String(data_key="terminationDate", load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Internal:
        return Internal(**data)


class WorkLabelsSchema(BaseSchema):
    department = Label(load_default=None)
    title = Label(load_default=None)
    manager = Label(load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> WorkLabels:
        return WorkLabels(**data)


class HumanReadableSchema(BaseSchema):
    """Only ``humanReadable.work`` is read; the node itself is returned as its labels."""

    work = fields.Nested(WorkLabelsSchema, load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> WorkLabels:
        return data["work"] or WorkLabels()


class EmployeeSchema(PersonSchema):
    """A people-search record; ``id`` is the one field a record cannot do without."""

    id = Identifier(required=True)
    work = fields.Nested(WorkSchema, load_default=None)
    internal = fields.Nested(InternalSchema, load_default=None)
    labels = fields.Nested(HumanReadableSchema, data_key="humanReadable", load_default=None)

    @pre_load
    def fill_from_slash_keys(self, data: Any, **kwargs: Any) -> Any:
        """Copy a flat ``/work/department``-style value into the nested form where the
        nested key is absent, so either form is enough and nested wins when both exist."""
        if not isinstance(data, Mapping):
            return data  # marshmallow reports the wrong type
        filled: dict[str, Any] | None = None
        for key, path in _SLASH_FALLBACKS:
            slash = data.get(key)
            if not isinstance(slash, Mapping) or "value" not in slash or has_nested(data, path):
                continue
            if filled is None:
                filled = dict(data)
            _put(filled, path, slash["value"])
        return data if filled is None else filled

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Employee:
        return Employee(
            id=data["id"],
            email=data["email"],
            first_name=data["first_name"],
            surname=data["surname"],
            display_name=data["display_name"],
            work=data["work"] or Work(),
            internal=data["internal"] or Internal(),
            labels=data["labels"] or WorkLabels(),
        )


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set ``record[path]``, copying each intermediate mapping so the parsed input
    is never changed in place (a null or missing category becomes a new mapping)."""
    node = record
    for key in path[:-1]:
        child = node.get(key)
        node[key] = dict(child) if isinstance(child, Mapping) else {}
        node = node[key]
    node[path[-1]] = value


@dataclass(frozen=True, slots=True)
class DepartmentItem:
    """One item of the ``department`` named list, with its sub-departments."""

    id: str
    name: str
    archived: bool
    children: tuple[DepartmentItem, ...] = ()


class DepartmentItemSchema(BaseSchema):
    id = Identifier(required=True)
    name = fields.String(load_default=None)
    value = fields.String(load_default=None)
    archived = fields.Boolean(load_default=None)
    children = fields.List(fields.Nested(lambda: DepartmentItemSchema), load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> DepartmentItem:
        """``name`` and ``value`` have been equal in every example; either will do."""
        return DepartmentItem(
            id=data["id"],
            name=data["name"] or data["value"] or data["id"],
            archived=bool(data["archived"]),
            children=tuple(data["children"] or ()),
        )


class DepartmentListSchema(BaseSchema):
    """The named-list envelope: the spec says ``items``, clients in the wild read
    ``values``, and a live answer carried both. The roots of every present key are
    returned; the department index drops the repeats."""

    items = fields.List(fields.Nested(DepartmentItemSchema), load_default=None)
    values = fields.List(fields.Nested(DepartmentItemSchema), load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> tuple[DepartmentItem, ...]:
        if data["items"] is None and data["values"] is None:
            raise ValidationError("the answer holds neither an 'items' nor a 'values' list")
        return (*(data["items"] or ()), *(data["values"] or ()))


EMPLOYEE_SCHEMA = EmployeeSchema()
DEPARTMENT_LIST_SCHEMA = DepartmentListSchema()


def load_employee(record: Any, endpoint: str) -> Employee:
    """Read one people-search record; the error names the employee when it can."""
    if isinstance(record, Mapping) and not field_present(record, "root.id"):
        # HiBob omits even root.id when the service user lacks the root category.
        where = f"{endpoint} (a record without root.id: is the 'root' category granted?)"
    else:
        employee_id = record.get("id") if isinstance(record, Mapping) else None
        where = endpoint if employee_id is None else f"{endpoint} (employee {employee_id!r})"
    employee: Employee = _load(EMPLOYEE_SCHEMA, record, where)
    return employee


def load_departments(body: Any, endpoint: str) -> tuple[DepartmentItem, ...]:
    """Read the department named list into its root items."""
    roots: tuple[DepartmentItem, ...] = _load(DEPARTMENT_LIST_SCHEMA, body, endpoint)
    return roots


def _load(schema: Schema, data: Any, where: str) -> Any:
    try:
        return schema.load(data)
    except ValidationError as exc:
        detail = str(exc.messages)
        if len(detail) > 300:
            detail = detail[:300] + "..."
        raise PayloadError(f"{where} answered with an unexpected payload: {detail}") from None
