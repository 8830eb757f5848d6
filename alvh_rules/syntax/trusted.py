"""Building pydantic models from values the caller has already typed, without validation.

The parser makes hundreds of thousands of AST nodes whose field types the grammar already
fixes; validating each again would cost most of the parse. Tests validate parsed trees.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_MISSING = object()
_set = object.__setattr__


class _Layout:
    """A model's fields in declared order: the defaults to start from and the required names."""

    __slots__ = ("required", "template")

    def __init__(self, cls: type[BaseModel]) -> None:
        self.template: dict[str, Any] = {}
        required = set()
        for name, field in cls.model_fields.items():
            if field.is_required():
                required.add(name)
                self.template[name] = _MISSING
            else:
                self.template[name] = field.get_default(call_default_factory=True)
        self.required = frozenset(required)


_LAYOUTS: dict[type[BaseModel], _Layout] = {}


def construct(cls: type[M], **values: Any) -> M:
    """What `model_construct` does, minus its per-field alias handling (none are used).
    Fields keep their declared order, so JSON dumps are the same as for validated models."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        layout = _LAYOUTS[cls] = _Layout(cls)
    if layout.required <= values.keys():
        # Merging into the template keeps the declared order and fills the defaults.
        data = {**layout.template, **values}
    else:
        data = {k: v for k, v in {**layout.template, **values}.items() if v is not _MISSING}
    instance = cls.__new__(cls)
    _set(instance, "__dict__", data)
    _set(instance, "__pydantic_fields_set__", set(values))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance
