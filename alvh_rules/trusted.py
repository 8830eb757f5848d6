"""Building pydantic models from values the caller has already typed, without validation.

The parser makes hundreds of thousands of AST nodes whose field types the grammar already
fixes; validating each again would cost most of the parse. Tests validate parsed trees.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_DEFAULTS: dict[type[BaseModel], dict[str, Any]] = {}
_set = object.__setattr__


def construct(cls: type[M], **values: Any) -> M:
    """What `model_construct` does, minus its per-field alias handling (none are used)."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = {
            name: field.get_default(call_default_factory=True)
            for name, field in cls.model_fields.items()
            if not field.is_required()
        }
        _DEFAULTS[cls] = defaults
    instance = cls.__new__(cls)
    fields = dict(defaults)
    fields.update(values)
    _set(instance, "__dict__", fields)
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance
