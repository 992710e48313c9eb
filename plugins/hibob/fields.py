"""The marshmallow fields HiBob's records are loaded with.

Strict fields (:class:`Identifier`, :class:`EmailAddress`, :class:`Text`) fail a
record on a value of the wrong type: they decide identity, status or membership.
:class:`Described` fields only copy a value to the profile: a shape they cannot
read loads as an :class:`Unreadable` marker, which the schema turns into None and a
counted warning, so a surprising label or date never holds back a sync.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple

from marshmallow import fields

from plugins.hibob.shapes import json_kind


class CheapValidation(fields.Field[Any]):
    """Runs a field's validators only when it has some.

    marshmallow 4.4's ``Field._validate`` builds an ``And`` of the field's
    validators for every value, even when there are none: 0.5 µs a value, a
    fifth of an employee's load (45 µs → 35 µs a record). Fields with
    validators run them exactly as before.
    """

    def _validate(self, value: Any) -> None:
        if self.validators:
            super()._validate(value)


class Text(CheapValidation, fields.String):
    """A string (``fields.String`` with :class:`CheapValidation`)."""


class Identifier(CheapValidation, fields.Field[str | None]):
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


class EmailAddress(CheapValidation, fields.Field[str | None]):
    """An email address, trimmed; a blank one is no address (None).

    Not checked for syntax: HiBob is the truth about what a person's address is,
    and a strict check would drop a person's only key for ``connector access``.
    """

    default_error_messages = {"invalid": "Not a valid string."}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str | None:
        if type(value) is not str:
            raise self.make_error("invalid")
        return value.strip() or None


class Unreadable(NamedTuple):
    """What a :class:`Described` field loads when the value's shape is not one it reads."""

    shape: str
    """What was sent (``a list``, ``a blank string``), never the value: it may be personal data."""


def shape_of(value: Any) -> str:
    """A value's shape in JSON's words, telling blank strings and empty objects apart."""
    if type(value) is str and not value.strip():
        return "a blank string"
    if type(value) is dict and not value:
        return "an empty object"
    return json_kind(value)


class Described(CheapValidation):
    """A value only copied to the profile, loaded leniently.

    A null value is None, and so is a blank string unless ``blank_is_none`` is
    off. A shape :meth:`read` refuses loads as :class:`Unreadable` instead of
    failing the record: a surprising label or date must not hold back a sync
    whose identity fields are fine.
    """

    blank_is_none: ClassVar[bool] = True

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        if self.blank_is_none and type(value) is str and not value.strip():
            return None
        try:
            return self.read(value)
        except (TypeError, ValueError):
            return Unreadable(shape_of(value))

    def read(self, value: Any) -> Any:
        """The loaded value; raise TypeError or ValueError for a shape this field does not read."""
        raise NotImplementedError


class DescribedText(Described):
    """Free text (a name, a site, a display label): a string, or a number shown as one."""

    def read(self, value: Any) -> str:
        if type(value) is str:
            return value
        if type(value) is int or type(value) is float:
            return str(value)
        raise TypeError(value)


class DescribedId(Described):
    """An id only described (a title's list item): a string or a whole number."""

    def read(self, value: Any) -> str:
        if type(value) is str or type(value) is int:
            return str(value)
        raise TypeError(value)


class PersonId(Described):
    """An employee id only described (``work.manager``): digits, as a string or a number.
    ``humanReadable: "REPLACE"`` sends a name instead, which is no id."""

    def read(self, value: Any) -> str:
        return person_id(value)


def person_id(value: Any) -> str:
    """An employee id as HiBob sends it: digits, as a string or a number.

    :raises ValueError: anything else.
    """
    text = str(value).strip() if type(value) is str or type(value) is int else ""
    if not text.isdigit():
        raise ValueError("not an employee id")
    return text


class DescribedDate(Described):
    """A calendar date, kept as ISO ``YYYY-MM-DD``; a timestamp keeps its date part."""

    def read(self, value: Any) -> str:
        if type(value) is not str:
            raise TypeError(value)
        text = value.strip()
        if len(text) > 10 and text[10] in "T ":
            text = text[:10]
        return datetime.date.fromisoformat(text).isoformat()


class ReportsTo(NamedTuple):
    """``work.reportsTo``: the manager as HiBob describes them."""

    id: str
    email: str | None = None
    """Trimmed; None when blank."""
    first_name: str | None = None
    surname: str | None = None
    display_name: str | None = None


class Manager(Described):
    """``work.reportsTo``, documented as ``{id, firstName, surname, email, displayName}``.

    Also seen: a bare id (HiBob ids are digits), read as the id alone.
    Unreadable, so the sync warns and takes the manager's id from
    ``work.manager``: ``""``, ``{}``, an object without a usable id, a string
    that is not an id (``humanReadable: "REPLACE"`` sends the manager's name),
    any other type. The object's text keys are read leniently: a key of the
    wrong type is None.
    """

    blank_is_none = False

    def read(self, value: Any) -> ReportsTo:
        if type(value) is not dict:
            return ReportsTo(person_id(value))
        email = _text(value.get("email"))
        return ReportsTo(
            person_id(value.get("id")),
            email and email.strip(),
            _text(value.get("firstName")),
            _text(value.get("surname")),
            _text(value.get("displayName")),
        )


def _text(value: Any) -> str | None:
    """A non-blank string, else None."""
    return value if type(value) is str and value.strip() else None
