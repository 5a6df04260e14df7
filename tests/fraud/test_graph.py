"""Profiles: rough keys that every pair of equal normal forms shares, and profiles that keep
exactly the values someone else may share."""

import pytest

from contest.fraud import graph
from contest.fraud.graph import profile, profiles
from contest.fraud.people import Person, PersonKind

# Pairs of values written differently that normalise to one key.
SAME_VALUES = [
    ("email", "Ivan.Petrov+promo@GoogleMail.com", "ivanpetrov@gmail.com"),
    ("email", "Ivan Petrov <ivan@x.ru>", "mailto:IVAN@x.ru"),
    ("email", "ivan.petrov@ya.ru", "ivan-petrov@yandex.ru"),
    ("phone", "8 (916) 123-45-67", "+7 916 123 4567"),
    ("phone", "79161234567", "+7 916 123-45-67"),
    ("phone", "+7 916 123-45-67, доб. 12", "+79161234567"),
    ("device", " DEV-A ", "dev-a"),
]


def person(key: str, kind: str, value: str, **fields: str) -> Person:
    given: dict[str, object] = {
        "email": {"emails": (value,)}, "phone": {"phones": (value,)},
        "device": {"device_id": value}, "household": {"address": value}}[kind]
    return Person(PersonKind.ENTRANT, key, "Anna Lee", country="RU", **given, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "one", "other"), SAME_VALUES)
def test_values_with_one_normal_form_have_one_rough_key_or_are_always_normalised(
        kind: str, one: str, other: str) -> None:
    a, b = person("1", kind, one), person("2", kind, other)
    assert profile(a).values(kind) == profile(b).values(kind) != []
    (code_a, _, _), = [item for item in graph._rough(a) if item[1] == kind]
    (code_b, _, _), = [item for item in graph._rough(b) if item[1] == kind]
    assert code_a == code_b or code_a is None or code_b is None


def test_one_household_written_two_ways_has_one_rough_key() -> None:
    a = person("1", "household", "улица Ленина дом 5 квартира 12", city="Москва")
    b = person("2", "household", "Ленина ул 5-12", city="Москва")
    assert profile(a).values("household") == profile(b).values("household") != []
    assert graph._rough_home(a) == graph._rough_home(b)
    inside = person("3", "household", "г. Москва, ул. Ленина, д. 5, кв. 12")
    assert graph._rough_home(inside) is None        # the city is in the address


def people() -> list[Person]:
    return [
        Person(PersonKind.ENTRANT, "1", "Anna Lee", emails=("anna.lee@gmail.com",),
               phones=("+7 916 123 45 67",), device_id="dev-1", ip="10.0.0.1"),
        Person(PersonKind.ENTRANT, "2", "Anna Lee", emails=("annalee@gmail.com",),
               phones=("+7 916 765 43 21",), ip="10.0.0.1"),
        Person(PersonKind.ENTRANT, "3", "Bob Ray", emails=("bob@mail.ru",), device_id="DEV-1",
               address="ул. Ленина 5-12", city="Москва", country="RU"),
        Person(PersonKind.ENTRANT, "4", "Olga Ray", phones=("8 916 765-43-21",),
               address="Ленина ул, д. 5, кв. 12", city="Москва", country="RU"),
    ]


def test_a_profile_keeps_only_the_values_someone_else_holds() -> None:
    found = {item.person.key: (item.attributes, item.own_contacts)
             for item in profiles(people(), "RU")}
    assert found == {
        "1": ((("email", "annalee@gmail.com"), ("device", "dev-1")), True),  # own phone
        "2": ((("email", "annalee@gmail.com"), ("phone", "+79167654321")), False),
        "3": ((("device", "dev-1"), ("household", found["4"][0][1][1])), True),
        "4": ((("phone", "+79167654321"), ("household", found["4"][0][1][1])), False),
    }


def test_strangers_behind_one_ip_are_not_joined() -> None:
    strangers = [Person(PersonKind.ENTRANT, str(n), name, ip="85.140.1.1")
                 for n, name in enumerate(("Anna Lee", "Bob Ray", "Olga Orlova"))]
    assert [item.attributes for item in profiles(strangers, "RU")] == [(), (), ()]


def test_a_phone_written_with_a_slash_meets_the_same_number_written_plainly() -> None:
    """"480/973-4310" had no cheap rough key, so the plain "(480) 973-4310" of the only other
    holder was never normalised, and the two never met."""
    slash = Person(PersonKind.STAFF, "S1", "Regan Nelson", phones=("480/973-4310",),
                   country="US")
    plain = Person(PersonKind.ENTRANT, "e1", "Mary Fox", phones=("(480) 973-4310",),
                   country="US")
    first, second = profiles([slash, plain])
    assert dict(first.attributes)["phone"] == dict(second.attributes)["phone"] == (
        "+14809734310")
