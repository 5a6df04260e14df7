"""Record linkage for duplicates that share no contact: blocking keys and the points."""

from datetime import date

from contest.fraud.graph import Profile, profile
from contest.fraud.linkage import (
    LINK_THRESHOLD,
    blocking_keys,
    candidate_pairs,
    matched_words,
    record_points,
)
from contest.fraud.people import Person, Role


def entrant(key: str, name: str, born: date | None = date(1985, 3, 14),
            address: str = "16 Kilburn Close", city: str = "Sandfly", postal: str = "2576",
            email: str = "", phone: str = "") -> Profile:
    return profile(Person(Role.ENTRANT, key, name, birth_date=born, address=address,
                          city=city, postal_code=postal, country="AU",
                          emails=(email,) if email else (), phones=(phone,) if phone else ()))


ORIGINAL = entrant("1", "Blake Thiessen")
SWAPPABLE = entrant("0", "Nell Roche", born=date(1907, 10, 8))


def test_typos_swapped_names_and_a_mistyped_birth_date_are_one_person() -> None:
    for copy in (entrant("2", "Blakx Thiessen"),                     # a typo
                 entrant("3", "Thiessen Blake"),                     # name order
                 entrant("4", "Blake Thiessen", born=date(1985, 3, 24)),  # a digit off
                 entrant("5", "Blake Thiessen", born=date(1985, 3, 4)),
                 entrant("6", "Blake Thie ssen"),                    # a space typed
                 entrant("7", "Blake Thiessen", address="16 kilburnclose sandfly"),
                 entrant("8", "Blake Thiessen", born=date(1958, 3, 14)),  # digits swapped
                 entrant("9", "Blake", born=None)):                  # fields missing
        assert record_points(ORIGINAL, copy) >= LINK_THRESHOLD, copy.person.full_name
    day_and_month_swapped = entrant("10", "Nell Rocheq", born=date(1907, 8, 10))
    assert record_points(SWAPPABLE, day_and_month_swapped) >= LINK_THRESHOLD


def test_hard_negatives_stay_apart() -> None:
    others = {
        # the same name and birthday elsewhere: a namesake, not a typo
        "namesake": entrant("n", "Blake Thiessen", address="3 Ocean Rd", city="Perth",
                            postal="6000"),
        # a neighbour with the family name and another birthday
        "family": entrant("f", "Renee Thiessen", born=date(1960, 1, 5)),
        # father and son: one name, other birthdays and their own contacts
        "father": entrant("p", "Blake Thiessen", born=date(1955, 7, 1),
                          email="blake.sr@example.com", phone="+61 2 9374 4000"),
        "someone": entrant("s", "Madison Oh", born=date(1990, 2, 2)),
    }
    son = entrant("j", "Blake Thiessen", email="blake.jr@example.com",
                  phone="+61 2 9374 4001")
    for label, other in others.items():
        against = son if label == "father" else ORIGINAL
        assert record_points(against, other) < LINK_THRESHOLD, label


def test_words_match_once_each_in_any_order() -> None:
    assert matched_words(("blake", "thiessen"), ("thiessen", "blakx")) == 2
    assert matched_words(("anna", "anna"), ("anna", "smith")) == 1
    assert matched_words((), ("anna",)) == 0


def test_blocking_keys_pair_only_entries_that_share_one() -> None:
    people = [ORIGINAL, entrant("2", "Blakx Thiessen"),
              entrant("3", "Zane Wilkins", born=date(1947, 10, 17), address="Jervois St",
                      city="Coolaroo", postal="6208")]
    assert blocking_keys(ORIGINAL) & blocking_keys(people[1])
    assert not blocking_keys(ORIGINAL) & blocking_keys(people[2])
    assert list(candidate_pairs(people)) == [(0, 1)]
