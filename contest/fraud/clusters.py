"""Entries grouped into people from pairwise links, without chaining strangers together.

Linking is transitive: if A is B and B is C, A is C. A chain of links can still run through
an entry that resembles two people (a record without a birth date between a father and his
son), so two groups are merged only if no pair across them is surely two people. Links are
taken strongest first, so the surest ties shape the groups. Each group's representative is
its earliest entry (:attr:`contest.fraud.people.Person.order`).

Entries that share a mailbox or phone are one person by rule (:mod:`contest.identity.ties`),
as the entry limits count them: :func:`group` takes them as one group from the start, which
no likeness splits; the links found by likeness then merge groups as above.
"""

from collections.abc import Callable, Iterable, Sequence


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

    def join(self, a: int, b: int) -> None:
        """Put ``a`` and ``b`` in one group whatever pairs across the groups look like."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self._merge(root_a, root_b)

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
        self._merge(root_a, root_b)
        return True

    def _merge(self, root_a: int, root_b: int) -> None:
        # The smaller group goes into the larger, in place: one mailbox held by thousands is
        # joined one holder at a time.
        group_a = self._members.pop(root_a, None) or [root_a]
        group_b = self._members.pop(root_b, None) or [root_b]
        if len(group_a) < len(group_b):
            root_a, root_b, group_a, group_b = root_b, root_a, group_b, group_a
        group_a.extend(group_b)
        self._parent[root_b] = root_a
        self._members[root_a] = group_a

    def groups(self) -> list[list[int]]:
        """Every group of two or more entries."""
        return [members for members in self._members.values() if len(members) > 1]


def group(links: Iterable[tuple[float, int, int]], apart: Callable[[int, int], bool],
          joined: Iterable[Sequence[int]] = ()) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Groups of entry indexes from ``(strength, a, b)`` links, strongest first, and the
    links that were kept (those that did not join two groups found apart). Each of
    ``joined`` is one person by rule: a group from the start, whatever :func:`apart` says."""
    people = EntryGroups(apart)
    for members in joined:
        for member in members[1:]:
            people.join(members[0], member)
    kept = [(a, b) for _, a, b in sorted(links, key=lambda link: -link[0])
            if people.find(a) == people.find(b) or people.link(a, b)]
    return people.groups(), kept
