"""HiBob payloads read with marshmallow into frozen dataclasses.

Every schema derives from :class:`BaseSchema`, whose ``unknown = EXCLUDE`` lets
HiBob add keys without breaking a sync. Schemas declare only the fields the
connector uses: with 100,000 employees, every declared field costs.
A malformed payload becomes a :class:`~framework.errors.PayloadError` naming the
endpoint, never a marshmallow traceback.

People-search records are read by flat schemas (:class:`RecordSchema`): each
field's ``data_key`` is the HiBob field id it reads, and a ``pre_load`` picks
those values out of the record (nested form first, slash key second) into one
flat dict, so one record costs one schema load. Nested schemas cost four loads
per record, and on a 10,000-employee sync about three quarters of the time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load

from framework.errors import PayloadError

HUMAN_READABLE = "humanReadable"
"""The node ``humanReadable: "APPEND"`` adds: display values mirroring the nested form."""


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
class _Read:
    """How one HiBob field's value is picked out of a record.

    ``targets`` pairs each flat key with the keys to follow inside the value:
    ``()`` for a plain value, ``("id",)`` for ``work.reportsTo.id``.
    """

    field_id: str
    nested: tuple[str, ...]
    slash: str | None
    """None for display labels: the ``humanReadable`` node has no slash form."""
    targets: tuple[tuple[str, tuple[str, ...]], ...]


def _plan(data_keys: list[str], objects: tuple[str, ...]) -> tuple[_Read, ...]:
    """One :class:`_Read` per HiBob field that ``data_keys`` name, in declaration order."""
    targets: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for data_key in data_keys:
        obj = next((obj for obj in objects if data_key.startswith(obj + ".")), None)
        field_id, within = (data_key, ()) if obj is None else (obj, tuple(data_key[len(obj) + 1 :].split(".")))
        targets.setdefault(field_id, []).append((data_key, within))
    return tuple(
        _Read(field_id, tuple(field_id.split(".")), None, tuple(keys))
        if field_id.startswith(HUMAN_READABLE + ".")
        else _Read(field_id, nested_path(field_id), slash_key(field_id), tuple(keys))
        for field_id, keys in targets.items()
    )


_ABSENT = object()


class RecordSchema(BaseSchema):
    """A flat schema over people-search records.

    Each field's ``data_key`` is the HiBob field id it reads (``work.department``);
    ``humanReadable.<path>`` reads a display label, and for a field listed in
    ``objects`` (an object value such as ``work.reportsTo``) ``<field id>.<key>``
    reads one key of it. The picking plan is computed once per schema instance,
    so reuse instances.
    """

    objects: ClassVar[tuple[str, ...]] = ()
    """Requested fields whose value is an object read key by key."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reads = _plan([field.data_key or name for name, field in self.load_fields.items()], self.objects)
        self.requested_fields = tuple(read.field_id for read in self._reads if read.slash is not None)
        """The people-search ``fields`` to ask for: exactly what this schema reads."""

    @pre_load
    def pick(self, record: Any, **kwargs: Any) -> Any:
        """The flat dict of the values this schema's fields read.

        The nested form wins when it holds the key, a permitted null included;
        otherwise the slash key's value, which HiBob sends only for non-null
        values; otherwise nothing, and the field's default applies. A null or
        missing category counts as absent (the slash keys may still hold its
        values), but one that is not an object is malformed. Display labels are
        picked leniently: a surprising label must not stop a sync.
        """
        if not isinstance(record, dict):
            return record  # marshmallow reports the wrong type
        flat: dict[str, Any] = {}
        for read in self._reads:
            value = _nested_value(record, read.nested, strict=read.slash is not None)
            if value is _ABSENT:
                slash = record.get(read.slash) if read.slash is not None else None
                if not isinstance(slash, dict) or "value" not in slash:
                    continue
                value = slash["value"]
            for data_key, within in read.targets:
                if not within:
                    flat[data_key] = value
                elif value is not None:
                    inner = _nested_value(value, within, strict=True, inside=read.field_id)
                    if inner is not _ABSENT:
                        flat[data_key] = inner
        return flat


def _nested_value(node: Any, path: tuple[str, ...], *, strict: bool, inside: str = "") -> Any:
    """The value at ``path`` under ``node`` (which is the value of ``inside``, or the
    record), or ``_ABSENT``. A null on the way counts as absent; anything else that
    is not an object is a ValidationError naming where, when ``strict``."""
    for depth, key in enumerate(path):
        if not isinstance(node, dict):
            if node is None or not strict:
                return _ABSENT
            raise ValidationError({".".join(filter(None, (inside, *path[:depth]))): ["Not a valid object."]})
        if key not in node:
            return _ABSENT
        node = node[key]
    return node


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


class EmployeeSchema(RecordSchema):
    """A people-search record as a sync reads it; ``root.id`` is the one field a record
    cannot do without."""

    objects = ("work.reportsTo",)

    id = Identifier(data_key="root.id", required=True)
    email = fields.String(data_key="root.email", load_default=None)
    first_name = fields.String(data_key="root.firstName", load_default=None)
    surname = fields.String(data_key="root.surname", load_default=None)
    display_name = fields.String(data_key="root.displayName", load_default=None)
    department = Identifier(data_key="work.department", load_default=None)
    title = Identifier(data_key="work.title", load_default=None)
    manager_id = Identifier(data_key="work.reportsTo.id", load_default=None)
    manager_email = fields.String(data_key="work.reportsTo.email", load_default=None)
    manager_first_name = fields.String(data_key="work.reportsTo.firstName", load_default=None)
    manager_surname = fields.String(data_key="work.reportsTo.surname", load_default=None)
    manager_display_name = fields.String(data_key="work.reportsTo.displayName", load_default=None)
    manager = Identifier(data_key="work.manager", load_default=None)
    employee_number = Identifier(data_key="work.employeeIdInCompany", load_default=None)
    start_date = fields.String(data_key="work.startDate", load_default=None)
    site = fields.String(data_key="work.site", load_default=None)
    lifecycle_status = fields.String(data_key="internal.lifecycleStatus", load_default=None)
    status = fields.String(data_key="internal.status", load_default=None)
    termination_date = fields.String(data_key="internal.terminationDate", load_default=None)
    department_label = Label(data_key="humanReadable.work.department", load_default=None)
    title_label = Label(data_key="humanReadable.work.title", load_default=None)
    manager_label = Label(data_key="humanReadable.work.manager", load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **kwargs: Any) -> Employee:
        manager = Person(
            id=data["manager_id"],
            email=data["manager_email"],
            first_name=data["manager_first_name"],
            surname=data["manager_surname"],
            display_name=data["manager_display_name"],
        )
        return Employee(
            id=data["id"],
            email=data["email"],
            first_name=data["first_name"],
            surname=data["surname"],
            display_name=data["display_name"],
            work=Work(
                department=data["department"],
                title=data["title"],
                site=data["site"],
                manager=data["manager"],
                reports_to=None if manager == _NOBODY else manager,
                employee_number=data["employee_number"],
                start_date=data["start_date"],
            ),
            internal=Internal(
                lifecycle_status=data["lifecycle_status"],
                status=data["status"],
                termination_date=data["termination_date"],
            ),
            labels=WorkLabels(
                department=data["department_label"], title=data["title_label"], manager=data["manager_label"]
            ),
        )


_NOBODY = Person()


class IdSchema(RecordSchema):
    """Only who a person is: the first pass of a batched sync. Loads into a plain dict."""

    id = Identifier(data_key="root.id", required=True)


class StatusSchema(IdSchema):
    """Who a person is and whether they are active: all validation's everyone-listing
    reads. Loads into a plain dict (``id``, ``status``)."""

    status = fields.String(data_key="internal.status", load_default=None)


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
ID_SCHEMA = IdSchema()
STATUS_SCHEMA = StatusSchema()
DEPARTMENT_LIST_SCHEMA = DepartmentListSchema()
EMPLOYEE_FIELDS = EMPLOYEE_SCHEMA.requested_fields
"""The people-search ``fields`` a sync asks for: exactly what :class:`EmployeeSchema` reads."""


def load_record(schema: RecordSchema, record: Any, endpoint: str) -> Any:
    """Read one people-search record; the error names the employee when it can."""
    try:
        return schema.load(record)
    except ValidationError as exc:
        raise _payload_error(_record_origin(record, endpoint), exc) from None


def load_employee(record: Any, endpoint: str) -> Employee:
    employee: Employee = load_record(EMPLOYEE_SCHEMA, record, endpoint)
    return employee


def load_departments(body: Any, endpoint: str) -> tuple[DepartmentItem, ...]:
    """Read the department named list into its root items."""
    try:
        roots: tuple[DepartmentItem, ...] = DEPARTMENT_LIST_SCHEMA.load(body)
    except ValidationError as exc:
        raise _payload_error(endpoint, exc) from None
    return roots


def _record_origin(record: Any, endpoint: str) -> str:
    """The endpoint, and the employee when the record names one. Computed only for an
    error: in the happy path it would cost every record a lookup."""
    if isinstance(record, Mapping) and not field_present(record, "root.id"):
        # HiBob omits even root.id when the service user lacks the root category.
        return f"{endpoint} (a record without root.id: is the 'root' category granted?)"
    employee_id = record.get("id") if isinstance(record, Mapping) else None
    return endpoint if employee_id is None else f"{endpoint} (employee {employee_id!r})"


def _payload_error(where: str, exc: ValidationError) -> PayloadError:
    detail = str(exc.messages)
    if len(detail) > 300:
        detail = detail[:300] + "..."
    return PayloadError(f"{where} answered with an unexpected payload: {detail}")
