"""Record linkage for duplicates that share no contact: the same person entering again with
another (or no) e-mail and phone, typing their name, birth date and address a little
differently each time.

Two steps, as record-linkage tools do them:

1. **Blocking**: each entry gets a few keys (its birth date with a name word's initial;
   each name word's first letters with the postal code or with the town; the postal code
   with the start of the address's longest word).
   Only entries sharing
   a key are compared, and a key held by more than :data:`MAX_BLOCK` entries (a common
   surname in a big city) is too common to say anything and is skipped.
2. **Scoring**: points for and against, field by field, in the spirit of Fellegi and
   Sunter's agreement weights: name words matched (Jaro-Winkler, in any order, so swapped
   given name and surname count), birth date (equal; one typed digit off or day and month
   swapped; different), postal code, town, street address, and contacts both gave that
   differ (a different mailbox or phone is evidence of another person). The address must
   agree first: without it, a like name and birth date are a namesake's. A pair at
   :data:`LINK_THRESHOLD` or above is one person.

The points were set by hand on FEBRL 3 (5,000 records, no contacts) and checked against the
labelled population's hard negatives (namesakes, common surnames, neighbours, twins); see
``bench/fraud.py``.
"""

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler, Levenshtein

from contest.fraud.graph import Profile

LINK_THRESHOLD = 4.0
"""Points from which two entries are taken for one person."""
PLACE_NEEDED = 2.0
"""Points the address, town and postal code must give together before names count."""
MAX_BLOCK = 40
"""A blocking key held by more entries than this is skipped."""
SAME_WORD = 0.88
_ADDRESS_WORD = re.compile(r"[^\W\d_]+")
"""Jaro-Winkler similarity from which two name words are one word with a typo."""


def blocking_keys(item: Profile) -> set[str]:
    """The keys under which ``item`` is compared with others."""
    person = item.person
    words = item.name.tokens
    postal = person.postal_code.strip().lower()
    town = person.city.strip().lower()[:4]
    born = person.birth_date
    keys: set[str] = set()
    for word in words:
        if born is not None:
            keys.add(f"d|{born.isoformat()}|{word[:1]}")
        if postal:
            keys.add(f"p|{postal}|{word[:3]}")
        if town:
            keys.add(f"c|{town}|{word[:3]}")
    street = [word for word in _ADDRESS_WORD.findall(person.address.lower()) if len(word) > 2]
    if street and postal:
        keys.add(f"a|{postal}|{max(street, key=len)[:4]}")
    return keys


def candidate_pairs(items: Sequence[Profile]) -> Iterator[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of entries sharing a blocking key, each once."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        for key in blocking_keys(item):
            blocks[key].append(index)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for pair in combinations(members, 2):
            if pair not in seen:
                seen.add(pair)
                yield pair


def matched_words(a: Sequence[str], b: Sequence[str]) -> int:
    """How many words of ``a`` match a distinct word of ``b`` (equal, or one typo away)."""
    used: set[int] = set()
    count = 0
    for word in a:
        for index, other in enumerate(b):
            if index not in used and (word == other
                                      or JaroWinkler.similarity(word, other) >= SAME_WORD):
                used.add(index)
                count += 1
                break
    return count


def _name_points(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    matched = matched_words(shorter, longer)
    if matched < 2 and len(longer) >= 2 and fuzz.ratio("".join(a), "".join(b)) >= 90:
        return 4.0                                  # a space typed or lost: "black well"
    if matched >= 2:
        return 4.0
    if matched == 1:
        return 2.0 if len(shorter) == 1 else 1.0   # one name missing, or one changed
    return -4.0


def _birth_points(a: date | None, b: date | None) -> float:
    if a is None or b is None:
        return 0.0
    if a == b:
        return 5.0
    if (a.year, a.month, a.day) == (b.year, b.day, b.month):
        return 3.0                                  # day and month swapped
    written_a, written_b = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    edits = Levenshtein.distance(written_a, written_b)
    if edits == 1 or (edits == 2 and sorted(written_a) == sorted(written_b)):
        return 3.0                                  # one digit mistyped, or two swapped
    return -2.5


def _place_points(a: Profile, b: Profile) -> float:
    one, other = a.person, b.person
    points = 0.0
    if one.postal_code and other.postal_code:
        if one.postal_code == other.postal_code:
            points += 2.0
        elif Levenshtein.distance(one.postal_code, other.postal_code) == 1 or sorted(
                one.postal_code) == sorted(other.postal_code):
            points += 0.5                           # one digit mistyped, or two swapped
        else:
            points -= 1.0
    if one.city and other.city:
        likeness = fuzz.ratio(one.city.lower(), other.city.lower())
        points += 1.5 if likeness >= 90 else 0.5 if likeness >= 75 else -0.5
    if one.address and other.address:
        mine, theirs = one.address.lower(), other.address.lower()
        # Words in any order, or one address inside the other with its spaces lost.
        likeness = max(fuzz.token_set_ratio(mine, theirs),
                       fuzz.partial_ratio(mine.replace(" ", ""), theirs.replace(" ", "")))
        points += 3.0 if likeness >= 90 else 1.5 if likeness >= 75 else -1.0
    return points


def _contact_points(a: Profile, b: Profile) -> float:
    """Against: both gave a mailbox and a phone, and neither is the same."""
    points = 0.0
    for kind in ("email", "phone"):
        mine, theirs = set(a.values(kind)), set(b.values(kind))
        if mine and theirs and not mine & theirs:
            points -= 2.5
    return points


def record_points(a: Profile, b: Profile) -> float:
    """The evidence that two entries are one person: above :data:`LINK_THRESHOLD`, they are.
    Without an address that agrees (:data:`PLACE_NEEDED`) a pair never reaches it (a name
    and a birth date alone are the namesake detector's business, not a typo's), nor with
    other names and no birth date to say otherwise, nor with one name and the birth date
    both different (family at home)."""
    name = _name_points(a.name.tokens, b.name.tokens)
    born = _birth_points(a.person.birth_date, b.person.birth_date)
    if name < 0 and born <= 0:
        return name                     # other names, no birth date to say otherwise
    if name <= 1.0 and born < 0:
        return min(name + born, 0.0)    # another given name and birthday: family at home
    place = _place_points(a, b)
    if place < PLACE_NEEDED:
        return min(place, 0.0)
    return name + born + place + _contact_points(a, b)
