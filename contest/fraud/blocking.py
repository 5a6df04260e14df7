"""Which pairs of entries are worth comparing by name, birth date and address.

Comparing every pair of a million entries is out of the question, so entries are put in
*blocks* that share something exact, and only pairs within a block are compared
(:mod:`contest.fraud.likeness`). One entry is in several blocks, so that a typo in one field
still leaves it in a block with its other entries:

- ``born``: the birth date and the first letter of a name word (each word);
- ``house``: the postal code and the house number;
- ``postcode``: the postal code and the first three letters of a name word;
- ``city``: the city (or suburb) and a whole name word;
- ``name``: the name's words, sorted (a birth date and an address both retyped).

A block holding more than :data:`BLOCK_SIZE` entries is split by a longer prefix of the name
word, up to the whole word; a block still larger (a common name on a common birthday in a
million entries) says too little to be worth its pairs and is left out — the pairs it would
give share a mailbox or phone if they are one person, or are found through another block.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from itertools import combinations

from contest.fraud.likeness import Identity

BLOCK_SIZE = 6
"""The most entries one block may hold before it is split by a longer name prefix."""
LARGEST_BLOCK = 6
"""The most entries a block that cannot be split (they share the whole word) may hold."""

Keyed = tuple[Hashable, str, int]
"""(what the block's members share exactly, a name word to split on, entry index)."""
Grouped = dict[tuple[Hashable, str], list[tuple[str, int]]]
"""Entries by what they share and a name prefix: ``(name word, entry index)`` each."""


def _house(item: Identity) -> Iterator[tuple[str, str]]:
    if item.postcode and item.house:
        for word in item.words or ("",):
            yield f"{item.postcode}|{item.house}", word


def _postcode(item: Identity) -> Iterator[tuple[str, str]]:
    if item.postcode:
        for word in item.words:
            yield item.postcode, word


def _city(item: Identity) -> Iterator[tuple[str, str]]:
    if item.city:
        for word in item.words:
            yield f"{item.city}|{word}", ""


def _name(item: Identity) -> Iterator[tuple[str, str]]:
    if len(item.words) > 1:
        yield " ".join(sorted(item.words)), ""


BORN_PREFIX = 1
"""The name prefix the ``born`` blocks start with."""
FAMILIES = (("house", _house, 0), ("postcode", _postcode, 3), ("city", _city, 0),
            ("name", _name, 0))
"""Each family of blocks but ``born``: its name, the keys of one entry, the name prefix it
starts with. (Every entry with a birth date is in a ``born`` block, so those are grouped by
:func:`_born_pairs` without the generators of these families, which would cost a tenth of a
million-entry scan.)"""


def blocks(keyed: Iterable[Keyed], prefix: int, most: int = BLOCK_SIZE,
           largest: int = LARGEST_BLOCK) -> Iterator[list[int]]:
    """The blocks of entries sharing a key and a name prefix of ``prefix`` letters, or more
    for blocks of more than ``most`` entries; blocks of one entry are left out, and so are
    blocks of more than ``largest`` entries that no longer prefix can split."""
    grouped: Grouped = defaultdict(list)
    for shared, word, index in keyed:
        grouped[(shared, word[:prefix])].append((word, index))
    return _blocks(grouped, prefix, most, largest)


def _blocks(grouped: Grouped, prefix: int, most: int, largest: int) -> Iterator[list[int]]:
    for members in grouped.values():
        if len(members) > 1:
            yield from _split(members, prefix, most, largest)


def _split(members: list[tuple[str, int]], prefix: int, most: int, largest: int
           ) -> Iterator[list[int]]:
    indexes = {index for _, index in members}
    size = len(indexes)
    if size < 2:
        return
    if size > most and any(len(word) > prefix for word, _ in members):
        longer: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for word, index in members:
            longer[word[:prefix + 1]].append((word, index))
        for group in longer.values():
            yield from _split(group, prefix + 1, most, largest)
    elif size <= largest:
        yield sorted(indexes)


def _open(item: Identity) -> bool:
    """Whether ``item`` can be one person with an entry born on another day: an entry with
    contacts and a birth date cannot, unless the two share a contact (such pairs are
    compared through the contact, not found by blocks)."""
    return not (item.contacts and item.birth_date is not None)


def _initials_fit(a: frozenset[str], b: frozenset[str]) -> bool:
    # Two entries told apart by their contacts are one person only if every word of one
    # name is close to a word of the other (a conflict would be final), and close words
    # almost always start alike.
    return a <= b or b <= a


def candidate_pairs(identities: Sequence[Identity | None], most: int = BLOCK_SIZE,
                    largest: int = LARGEST_BLOCK) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of indexes into ``identities`` that share a block.

    Only the ``born`` blocks pair two entries that both carry contacts and a birth date: a
    different birth date keeps such a pair apart (:mod:`contest.fraud.likeness`), so the
    other blocks are built only under keys an entry without contacts or birth date holds;
    and the born blocks pair them only if the initials of one name are among the other's."""
    present = [(index, item) for index, item in enumerate(identities) if item is not None]
    opened = [item is not None and _open(item) for item in identities]
    pairs = _born_pairs(present, opened, most, largest)
    for _, keys, prefix in FAMILIES:
        wanted = {(shared, word[:prefix]) for index, item in present if opened[index]
                  for shared, word in keys(item)}
        if not wanted:
            continue
        keyed = ((shared, word, index) for index, item in present
                 for shared, word in keys(item) if (shared, word[:prefix]) in wanted)
        for block in blocks(keyed, prefix, most, largest):
            pairs.update(pair for pair in combinations(block, 2)
                         if opened[pair[0]] or opened[pair[1]])
    return pairs


def _born_pairs(present: list[tuple[int, Identity]], opened: list[bool], most: int,
                largest: int) -> set[tuple[int, int]]:
    """The pairs of the ``born`` blocks: the birth date and a name prefix."""
    grouped: Grouped = defaultdict(list)
    initials: dict[int, frozenset[str]] = {}
    for index, item in present:
        if item.birth_date is not None:
            for word in item.words:
                grouped[(item.birth_date, word[:BORN_PREFIX])].append((word, index))
            initials[index] = frozenset(word[0] for word in item.words)
    pairs: set[tuple[int, int]] = set()
    for block in _blocks(grouped, BORN_PREFIX, most, largest):
        pairs.update(pair for pair in combinations(block, 2)
                     if opened[pair[0]] or opened[pair[1]]
                     or _initials_fit(initials[pair[0]], initials[pair[1]]))
    return pairs
