"""The comparison of two entries (name, birth date, address, contacts), the blocks that
propose the pairs, and the grouping that refuses to chain two people together."""

from datetime import date

from contest.fraud.blocking import blocks, candidate_pairs
from contest.fraud.clusters import group
from contest.fraud.likeness import (
    NAME_DIFFERENT,
    NAME_EQUAL,
    Identity,
    compare,
    identity,
    name_weight,
    word_weight,
)
from contest.fraud.people import Person, PersonKind
from contest.fraud.scan import scan

HOME = "20 rupp place brentwood vlge"


def entrant(key: str, name: str, born: str | None = "1977-05-01", address: str = HOME,
            city: str = "penshurst", postcode: str = "2257", *, email: str = "",
            phone: str = "", order: int = 0) -> Person:
    return Person(PersonKind.ENTRANT, key, name, emails=(email,) if email else (),
                  phones=(phone,) if phone else (),
                  birth_date=date.fromisoformat(born) if born else None, address=address,
                  city=city, postal_code=postcode, country="AU", order=order)


def who(person: Person) -> Identity:
    contacts = frozenset([*(f"email:{e.lower()}" for e in person.emails),
                          *(f"phone:{p}" for p in person.phones)])
    return identity(person, contacts)


def test_a_record_retyped_with_swapped_names_and_typos_is_one_person() -> None:
    first = who(entrant("1", "mikhayla hannagan"))
    again = who(entrant("2", "hannaan mikhayla", address="20 rupp lace brentwood vlge",
                        postcode="2275"))
    likeness = compare(first, again)
    assert likeness.same_person
    assert not likeness.conflict


def test_a_birth_date_with_day_and_month_swapped_is_a_typo_without_contacts() -> None:
    first = who(entrant("1", "sophie waller", born="1938-07-05"))
    again = who(entrant("2", "sophie waler", born="1938-05-07"))
    assert compare(first, again).same_person


def test_twins_at_one_address_with_their_own_contacts_are_two_people() -> None:
    anna = who(entrant("1", "Anna Petrova", email="anna.p@mail.ru", phone="+79161110000"))
    maria = who(entrant("2", "Maria Petrova", email="maria.p@mail.ru", phone="+79162220000"))
    likeness = compare(anna, maria)
    assert likeness.conflict and likeness.told_apart
    assert not likeness.same_person


def test_a_father_and_son_of_one_name_and_home_born_apart_are_two_people() -> None:
    father = who(entrant("1", "John Smith", born="1961-03-14", email="js@gmail.com"))
    son = who(entrant("2", "John Smith", born="1989-11-02", email="johnny@yahoo.com"))
    assert not compare(father, son).same_person


def test_namesakes_born_a_typo_apart_with_their_own_contacts_are_two_people() -> None:
    one = who(entrant("1", "Christine Rodriguez", born="1997-10-07", address="", city="",
                      postcode="", email="c.rod@yahoo.com"))
    other = who(entrant("2", "Christine Rodriguez", born="1993-10-07", address="", city="",
                        postcode="", email="rodriguez.c@gmail.com"))
    assert not compare(one, other).same_person


def test_namesakes_with_one_birth_date_in_other_cities_and_own_contacts_are_two_people(
        ) -> None:
    one = who(entrant("1", "Christopher Brown", born="1972-11-16",
                      address="8809 Gonzalez Ave, Apt 37", city="Hallfort", postcode="",
                      email="brown_c396@yahoo.com"))
    other = who(entrant("2", "Christopher Brown", born="1972-11-16",
                        address="3309 Monroe Street #43", city="South Gabrielborough",
                        postcode="", email="brown.c1972@gmail.com"))
    assert not compare(one, other).same_person


def test_a_shared_mailbox_makes_a_birth_date_typo_a_typo_again() -> None:
    one = who(entrant("1", "Christine Rodriguez", born="1997-10-07", email="cr@yahoo.com"))
    other = who(entrant("2", "Christine Rodriguez", born="1997-10-17", email="CR@yahoo.com"))
    likeness = compare(one, other)
    assert not likeness.told_apart and not likeness.conflict
    assert likeness.same_person


def test_a_name_alone_is_not_a_person() -> None:
    one = who(entrant("1", "jinni dreyer", born=None, address="", city="", postcode=""))
    other = who(entrant("2", "jinni dreyer", born=None, address="", city="", postcode=""))
    assert compare(one, other).weight == 2 * NAME_EQUAL
    assert not compare(one, other).same_person


def test_known_different_given_names_differ_whatever_their_letters() -> None:
    assert word_weight("maria", "marina") == NAME_DIFFERENT
    assert word_weight("aleksei", "aleksei") == NAME_EQUAL
    weight, conflict = name_weight(("hannagan", "mikhayla"), ("mikhayla", "hannagan"))
    assert (weight, conflict) == (2 * NAME_EQUAL, False)


def test_transliterated_names_meet() -> None:
    one = who(entrant("1", "Юлия Ковальская", email="yk@gmail.com"))
    other = who(entrant("2", "Kovalskaia Iuliia", email="y.k@gmail.com"))
    assert one.words != other.words
    assert name_weight(one.words, other.words) == (2 * NAME_EQUAL, False)


def test_pairs_come_from_blocks_that_survive_a_typo_in_any_one_field() -> None:
    people = [who(entrant("1", "sophie waller")),
              who(entrant("2", "sophie waller", born="1977-05-11")),      # date retyped
              who(entrant("3", "sophie waller", postcode="9999", city="x", address="")),
              who(entrant("4", "tom brown", born="1950-01-01", address="1 other st",
                          city="y", postcode="1111"))]
    pairs = candidate_pairs(people)
    assert {(0, 1), (0, 2), (1, 2)} <= pairs
    assert not any(3 in pair for pair in pairs)


def test_a_block_too_big_is_split_by_a_longer_name_prefix_or_left_out_when_it_cannot_be() -> None:
    keyed = [("1977-05-01", word, i) for i, word in enumerate(
        ["anna", "anna", "andrew", "andrew", "alice"])]
    assert sorted(blocks(keyed, 1, most=4)) == [[0, 1, 2, 3]]       # "an", "al" alone
    assert sorted(blocks(keyed, 1, most=3)) == [[0, 1], [2, 3]]     # "ann", "and"
    annas = [("d", "anna", i) for i in range(5)]      # no longer prefix splits them
    assert list(blocks(annas, 1, most=4, largest=5)) == [[0, 1, 2, 3, 4]]
    assert list(blocks(annas, 1, most=4, largest=4)) == []


def test_groups_are_not_chained_through_an_entry_like_both() -> None:
    # 1 is like 0 and like 2, but 0 and 2 are surely two people.
    links = [(20.0, 0, 1), (18.0, 1, 2), (15.0, 3, 4)]
    groups, kept = group(links, lambda a, b: {a, b} == {0, 2})
    assert sorted(map(sorted, groups)) == [[0, 1], [3, 4]]
    assert kept == [(0, 1), (3, 4)]


def test_the_scan_points_later_copies_to_the_earliest_and_spares_the_twins() -> None:
    people = [
        entrant("r1", "mikhayla hannagan", order=0),
        entrant("r2", "hannagan mikhayla", address="20 rupp lace brentwood vlge", order=1),
        entrant("r3", "mikhvyla hannagan", address="20 windradyen street brentwood vlge",
                order=2),
        entrant("t1", "Olga Sidorova", born="2001-02-03", address="5 Main St", city="Perth",
                postcode="6000", email="olga@gmail.com", order=3),
        entrant("t2", "Irina Sidorova", born="2001-02-03", address="5 Main St", city="Perth",
                postcode="6000", email="irina@gmail.com", order=4),
    ]
    flags = scan(people).flags
    assert {(flag.entry_id, flag.kind, flag.related_to) for flag in flags} == {
        ("r2", "duplicate", "r1"), ("r3", "duplicate", "r1")}
    assert all(edge["label"] == "same_person" for flag in flags for edge in flag.evidence)
    assert all(0.5 <= flag.score <= 1 for flag in flags)


def test_entries_with_contacts_and_birth_dates_pair_only_when_born_on_one_day() -> None:
    home = {"address": "5 Main St", "city": "Perth", "postcode": "6000"}
    people = [who(entrant("1", "Olga Sidorova", born="2001-02-03", email="o@x.ru", **home)),
              who(entrant("2", "Olga Sidorova", born="1970-06-09", email="m@x.ru", **home)),
              who(entrant("3", "Olga Sidorova", born="2001-02-03", email="s@x.ru")),
              who(entrant("4", "Olga Sidorova", born=None, email="n@x.ru", **home))]
    # 0 and 1 differ in birth date and each has a mailbox: only the born blocks could pair
    # them, and they share none; 3 has no birth date, so every block may pair it.
    assert candidate_pairs(people) == {(0, 2), (0, 3), (1, 3), (2, 3)}


def test_entries_with_contacts_born_on_one_day_pair_only_when_their_initials_fit() -> None:
    people = [who(entrant("1", "Olga Sidorova", email="o@x.ru")),
              who(entrant("2", "Olga Petrova", email="p@x.ru")),
              who(entrant("3", "Sidorova Olga", email="s@x.ru")),
              who(entrant("4", "Olga Petrova", born=None, email="n@x.ru"))]
    # 0 and 1 share a birth date and the O of Olga, but not their surnames' initials.
    assert (0, 1) not in candidate_pairs(people)
    assert (0, 2) in candidate_pairs(people)


def test_twins_one_written_with_initials_that_fit_neither_are_two_people() -> None:
    """One surname, one home, one birth date, their own contacts: "Бабюк К. З." is not
    Русана Бабюк, nor "B. Levy" Tracy Levy, nor "Бабюк К." "Бабюк Р.", nor "М.И. Ловчиков"
    Анфим Иларионович (whose patronymic the second initial fits)."""
    for a, b in (("Бабюк К. З.", "Бабюк Русана"), ("B. Levy", "Tracy Levy"),
                 ("Бабюк К.", "Бабюк Р."), ("Duncan C.", "Porter Duncan"),
                 ("М.И. Ловчиков", "Анфим Иларионович Ловчиков")):
        one = who(entrant("1", a, email="one@mail.ru"))
        other = who(entrant("2", b, phone="+79162220000"))
        likeness = compare(one, other)
        assert likeness.conflict and likeness.told_apart, (a, b)
        assert not likeness.same_person, (a, b)


def test_initials_that_fit_leave_one_person_with_new_contacts_one_person() -> None:
    for a, b in (("Бабюк Р. З.", "Бабюк Русана"), ("T. Levy", "Tracy Levy"),
                 ("Бабюк Р.", "Бабюк Р."), ("А.И. Ловчиков", "Анфим Иларионович Ловчиков")):
        one = who(entrant("1", a, email="one@mail.ru"))
        other = who(entrant("2", b, phone="+79162220000"))
        assert not compare(one, other).conflict, (a, b)
        assert compare(one, other).same_person, (a, b)
