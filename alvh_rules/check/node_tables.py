"""Carrying the checker's side tables (keyed by `id(node)`) through pickling: ids differ in
another process, so a table is pickled as (node, value) pairs and keyed again on load.
Pickle keeps object identity inside one payload, so each pair's node is the tree's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel


def iter_nodes(roots: Iterable[Any]) -> Iterator[BaseModel]:
    """Every AST node reachable from `roots` (nodes, lists and tuples of them), each once."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, BaseModel) and id(item) not in seen:
            seen.add(id(item))
            yield item
            stack.extend(getattr(item, name) for name in type(item).model_fields)


def to_pairs(table: Mapping[int, Any], nodes: Mapping[int, BaseModel]) -> list[tuple[Any, Any]]:
    """The table as (node, value) pairs; keys of nodes not in the tree are dropped (the id
    of a node that no longer exists names nothing and could be reused by a new object)."""
    return [(nodes[key], value) for key, value in table.items() if key in nodes]


def from_pairs(pairs: Iterable[tuple[Any, Any]]) -> dict[int, Any]:
    return {id(node): value for node, value in pairs}
