"""What changed between two rules versions, field by field, for the public rules page.

Works on the plain JSON data of :meth:`RulesDocument.to_data`: objects are compared key by
key, lists index by index, and a field or item present on one side only shows ``None`` on
the other.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One changed field: ``path`` is dotted, such as ``prizes.0.quantity``."""

    path: str
    before: Any
    after: Any


def rules_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every change from ``before`` to ``after``, in document order."""
    changes: list[Change] = []
    _compare("", before, after, changes)
    return changes


def _compare(path: str, before: Any, after: Any, changes: list[Change]) -> None:
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        keys = list(before) + [key for key in after if key not in before]
        for key in keys:
            _compare(_at(path, key), before.get(key), after.get(key), changes)
    elif isinstance(before, list) and isinstance(after, list):
        for index in range(max(len(before), len(after))):
            _compare(
                _at(path, index),
                before[index] if index < len(before) else None,
                after[index] if index < len(after) else None,
                changes,
            )
    elif before != after or type(before) is not type(after):
        changes.append(Change(path, before, after))


def _at(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)
