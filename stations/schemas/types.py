"""Field types every request schema shares: text the database can store, numbers within their columns, and
JSON bodies whose numbers and booleans are what they say (`StrictJSON`)."""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

INT4_MAX = 2**31 - 1
"""PostgreSQL `integer` (versions, capacity, rates)."""
INT8_MAX = 2**63 - 1
"""PostgreSQL `bigint` (every id)."""
AREA_MAX = 9_999_999.9
"""`numeric(8, 1)`: the largest area in m² the column stores."""

# C0 and C1 control characters (NUL included) and lone surrogates (JSON's "\ud800", which no UTF-8 can carry).
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_LINE_BREAKS = r"\t\n\r"
_SURROGATES = r"\ud800-\udfff"


def control_character(text: str, *, free_text: bool = False) -> str | None:
    """The first character of `text` the database must not get ("U+0000"), or None; free text may hold tabs and
    line breaks."""
    found = (_FREE_TEXT_BAD if free_text else _SINGLE_LINE_BAD).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


_FREE_TEXT_BAD = re.compile(f"[{_CONTROL}{_SURROGATES}]")
_SINGLE_LINE_BAD = re.compile(f"[{_CONTROL}{_LINE_BREAKS}{_SURROGATES}]")


class _FreeTextMarker:
    """Metadata marking a field as free text: `JsonBody` lets it hold tabs and line breaks."""


FreeText = Annotated[str, _FreeTextMarker()]
"""Text a person writes in a box (a reason, a note): tabs and line breaks allowed, other control characters not.
Every other text field of a `JsonBody` is one line: no control characters, tabs or line breaks."""

Count = Annotated[int, Field(ge=0, le=INT4_MAX)]
"""A count stored as `integer` (capacity)."""
Version = Annotated[int, Field(ge=1, le=INT4_MAX)]
"""A station version (`integer`, from 1)."""
Id = Annotated[int, Field(ge=1, le=INT8_MAX)]
"""A row id (`bigint`, from 1)."""
Area = Annotated[float, Field(gt=0, le=AREA_MAX, allow_inf_nan=False)]
"""Floor area in m² within `numeric(8, 1)`; not NaN or Infinity, which Python's JSON parser lets through
(coordinates are checked for those by geo.validation, with its own messages)."""


class JsonBody(BaseModel):
    """A request body: numbers and booleans of the JSON types declared, and text the database can store.

    Checked here once, from each field's declared type, for every body model that inherits this:
    - a number field takes a JSON number, a boolean field `true` or `false` (Pydantic's lax mode turned `true`
      into 1 and `1` or `"yes"` into True; its strict mode cannot serve, because FastAPI validates bodies in Python
      mode, where strict also refuses enum values and dates given as strings);
    - no text holds NUL or another control character, nor a lone surrogate (PostgreSQL refuses the first and UTF-8
      cannot carry the last), and only `FreeText` fields hold tabs and line breaks.
    Response models do not inherit it, so a row stored before these rules still reads. Models that spreadsheets also
    fill (StationCreate) stay lax; their HTTP body is a JsonBody subclass.
    """

    @model_validator(mode="before")
    @classmethod
    def _json_body(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        errors: list[InitErrorDetails] = []
        for name, value in data.items():
            field = cls.model_fields.get(name)
            if field is not None and value is not None:
                errors.extend(_problems(field.annotation, field.metadata, value, (name,)))
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return data


_WORDS = {bool: "boolean (true or false)", int: "integer", float: "number"}


def _problems(annotation: Any, metadata: list[Any], value: Any, loc: tuple[str | int, ...]) -> list[InitErrorDetails]:
    """What is wrong with one raw value of a field (and, for a list of text, with each item)."""
    expected = _scalar(annotation)
    if isinstance(value, str) and expected is None:
        free_text = _is_free_text(annotation, metadata)
        found = control_character(value, free_text=free_text)
        if not found:
            return []
        what = "control characters" if free_text else "control characters or line breaks"
        return [_error("control_character", f"must not contain {what} (found {{found}})", {"found": found}, loc, value)]
    if isinstance(value, list):
        return [error for i, item in enumerate(value) if isinstance(item, str)
                for error in _problems(annotation, metadata, item, (*loc, i))]
    if expected is None or _fits(expected, value):
        return []
    return [_error("json_type", "must be a JSON {expected}, not {given}",
                   {"expected": _WORDS[expected], "given": _json_name(value)}, loc, value)]


def _error(kind: str, message: str, context: dict[str, str], loc: tuple[str | int, ...],
           value: Any) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(kind, message, context), loc=loc, input=value)


def _is_free_text(annotation: Any, metadata: list[Any]) -> bool:
    """Whether a field (or the item type of a list field) is marked FreeText."""
    if any(isinstance(item, _FreeTextMarker) for item in metadata):
        return True
    if get_origin(annotation) is Annotated:
        return any(isinstance(item, _FreeTextMarker) for item in get_args(annotation)[1:])
    return any(_is_free_text(arg, []) for arg in get_args(annotation))


def _scalar(annotation: Any) -> type | None:
    """bool, int or float when the field is one of them (or one of them or None), else None."""
    if get_origin(annotation) is Annotated:
        return _scalar(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = {_scalar(arg) for arg in get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    return annotation if annotation in (bool, int, float) else None


def _fits(expected: type, value: Any) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (expected is float and isinstance(value, float))


def _json_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    names = {str: "a string", int: "an integer", float: "a fraction", list: "an array", dict: "an object"}
    return names.get(type(value), type(value).__name__)
