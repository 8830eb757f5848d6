"""Building pydantic models from values the caller has already typed, without validation.

The parser makes hundreds of thousands of AST nodes whose field types the grammar already
fixes; validating each again would cost most of the parse. Tests validate parsed trees.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_FIELDS: dict[type[BaseModel], list[tuple[str, bool, Any]]] = {}
_set = object.__setattr__
_MISSING = object()


def construct(cls: type[M], **values: Any) -> M:
    """What `model_construct` does, minus its per-field alias handling (none are used).
    Fields keep their declared order, so JSON dumps are the same as for validated models."""
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = [
            (
                name,
                field.is_required(),
                None if field.is_required() else field.get_default(call_default_factory=True),
            )
            for name, field in cls.model_fields.items()
        ]
        _FIELDS[cls] = fields
    instance = cls.__new__(cls)
    data = {}
    for name, required, default in fields:
        value = values.get(name, _MISSING)
        if value is _MISSING:
            if required:
                continue
            value = default
        data[name] = value
    _set(instance, "__dict__", data)
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance
