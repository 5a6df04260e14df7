"""Entries grouped into people from pairwise links, without chaining strangers together.

Linking is transitive: if A is B and B is C, A is C. A chain of links can still run through
an entry that resembles two people (a record without a birth date between a father and his
son), so two groups are merged only if no pair across them is surely two people. Links are
taken strongest first, so the surest ties shape the groups. Each group's representative is
its earliest entry (:attr:`contest.fraud.people.Person.order`).
"""

from collections.abc import Callable, Iterable


class EntryGroups:
    """A union-find over entry indexes whose merges can be refused."""

    def __init__(self, apart: Callable[[int, int], bool]) -> None:
        self._apart = apart
        self._parent: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}

    def find(self, index: int) -> int:
        parent = self._parent.setdefault(index, index)
        if parent == index:
            return index
        root = self.find(parent)
        self._parent[index] = root
        return root

    def link(self, a: int, b: int) -> bool:
        """Put ``a`` and ``b`` in one group, unless a pair across their groups is apart;
        whether they are in one group afterwards."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        group_a = self._members.get(root_a, [root_a])
        group_b = self._members.get(root_b, [root_b])
        if any(self._apart(x, y) for x in group_a for y in group_b):
            return False
        if len(group_a) < len(group_b):
            root_a, root_b, group_a, group_b = root_b, root_a, group_b, group_a
        self._parent[root_b] = root_a
        self._members[root_a] = group_a + group_b
        self._members.pop(root_b, None)
        return True

    def groups(self) -> list[list[int]]:
        """Every group of two or more entries."""
        return [members for members in self._members.values() if len(members) > 1]


def group(links: Iterable[tuple[float, int, int]], apart: Callable[[int, int], bool]
          ) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Groups of entry indexes from ``(strength, a, b)`` links, strongest first, and the
    links that were kept (those that did not join two groups found apart)."""
    people = EntryGroups(apart)
    kept = [(a, b) for _, a, b in sorted(links, key=lambda link: -link[0])
            if people.find(a) == people.find(b) or people.link(a, b)]
    return people.groups(), kept
