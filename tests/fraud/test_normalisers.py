"""The normalisers the participant graph joins people by: spellings of one thing meet,
different things stay apart."""

import pytest

from contest.fraud.names import name_key, name_similarity, surname_stems, transliterate
from contest.identity.addresses import building_key, household_key
from contest.identity.contacts import email_key, phone_key, split_values
from contest.identity.skeleton import fold_text


@pytest.mark.parametrize(("a", "b"), [
    ("Юлия", "Yuliya"), ("Yulia", "Iuliia"), ("Харитонов", "Kharitonov"),
    ("Haritonov", "Харитонов"), ("Алексей", "Aleksei"), ("Aleksey", "Alexey"),
    ("Щукин", "Shchukin"), ("Schukin", "Щукин"), ("Григорій", "Hryhorii"),
    ("Олександр", "Oleksandr"), ("Ксения", "Kseniya"), ("Ksenia", "Ксения"),
    ("Євген", "Yevhen"), ("Ievgen", "Evgen"), ("Наталья", "Natalya"), ("Natal'ia", "Natalia"),
    ("Дмитрий", "Dmitriy"), ("Dmitry", "Dmitrii"), ("Шевченко", "SHEVCHENKO"),
    ("Михаил", "Mikhail"), ("Сергій", "Serhii"), ("Ярослава", "Iaroslava"),
])
def test_spellings_of_one_name_fold_together(a: str, b: str) -> None:
    assert fold_text(a) == fold_text(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Ivan", "Ilya"), ("Maria", "Marina"), ("Petrov", "Petrenko"), ("Anna", "Inna"),
    ("Иванов", "Ивашов"),
])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert fold_text(a) != fold_text(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Иванов Иван Иванович", "Ivan Ivanov"), ("IVANOV, Ivan", "Ivan Ivanov"),
    ("Щукина Юлия Петровна", "Yulia Schukina"), ("Ivan Ivanov", "Ivanov Ivan"),
])
def test_one_persons_name_in_any_order_and_script_is_the_same_name(a: str, b: str) -> None:
    assert name_similarity(name_key(a), name_key(b)) == 1.0


def test_typos_cost_little_and_other_people_cost_much() -> None:
    same = name_similarity(name_key("Aleksandr Kharitonov"), name_key("Aleksandr Haritonvo"))
    other = name_similarity(name_key("Ivan Petrov"), name_key("Ivan Petrenko"))
    assert same >= 0.9
    assert other < 0.85


def test_an_initial_or_a_single_word_is_only_a_moderate_match() -> None:
    assert 0.5 < name_similarity(name_key("I. Ivanov"), name_key("Ivan Ivanov")) <= 0.8
    assert name_similarity(name_key("Ivanov"), name_key("Ivan Ivanov")) <= 0.8


def test_patronymics_are_dropped_and_the_surname_found() -> None:
    key = name_key("Петровская Анна Сергеевна")
    assert key.tokens == ("petrovskaia", "ana")
    assert key.surname == "petrovsk" and key.given == "ana"
    assert name_key("Smith, John").surname == fold_text("Smith") == "smit"


@pytest.mark.parametrize(("a", "b"), [
    ("Иван Иванов", "Мария Иванова"), ("Петровский Олег", "Petrovskaya Anna"),
    ("Ковальський Петро", "Kovalska Mariia"), ("Тарас Шевченко", "Oksana Shevchenko"),
])
def test_gendered_forms_of_a_family_surname_meet(a: str, b: str) -> None:
    assert surname_stems(a) == surname_stems(b)


def test_transliteration_for_display_reads_naturally() -> None:
    assert transliterate("Юлия Щукина") == "Yuliya Shchukina"


@pytest.mark.parametrize(("a", "b"), [
    ("Ivan.Petrov+promo@GoogleMail.com", "ivanpetrov@gmail.com"),
    ("ivan-petrov@ya.ru", "Ivan.Petrov@yandex.com"),
    ("IVAN@mail.ru", "ivan@MAIL.RU"),
    ("anna+news@outlook.com", "anna@outlook.com"),
])
def test_aliases_of_one_mailbox_are_one_key(a: str, b: str) -> None:
    assert email_key(a) == email_key(b) is not None


@pytest.mark.parametrize(("a", "b"), [
    ("ivan.petrov@mail.ru", "ivanpetrov@mail.ru"), ("o.shevchenko@ukr.net", "oshevchenko@ukr.net"),
    ("ivan+x@mail.ru", "ivan@mail.ru"), ("ivan.petrov@gmail.com", "ivan.petrov@yandex.ru"),
])
def test_mailboxes_of_providers_that_keep_dots_and_tags_stay_apart(a: str, b: str) -> None:
    assert email_key(a) != email_key(b)


def test_not_an_address_has_no_key() -> None:
    assert email_key("ivan at mail.ru") is None


@pytest.mark.parametrize(("phone", "region", "expected"), [
    ("8 (916) 123-45-67", "RU", "+79161234567"), ("+7 916 123 4567", None, "+79161234567"),
    ("79161234567", "RU", "+79161234567"), ("79161234567", None, "+79161234567"),
    ("067 123 4567", "UA", "+380671234567"), ("+380 67 123 45 67", "RU", "+380671234567"),
    ("(212) 555-0100", "US", "+12125550100"), ("1-212-555-0100", "US", "+12125550100"),
    ("not a phone", "RU", None), ("12", "US", None),
])
def test_phones_become_e164_in_the_persons_country(phone: str, region: str | None,
                                                   expected: str | None) -> None:
    assert phone_key(phone, region) == expected


def test_several_values_split_on_semicolons() -> None:
    assert split_values(" a@x.ru; b@y.ru ;;") == ["a@x.ru", "b@y.ru"]
    assert split_values(" a@x.ru ") == ["a@x.ru"] and split_values(" ") == []
    assert split_values("+7 916 123-45-67, доб. 12") == ["+7 916 123-45-67, доб. 12"]


@pytest.mark.parametrize("spelling", [
    "улица Ленина дом 5 квартира 12", "Ленина ул 5-12", "ул.Ленина, д.5, кв.12",
])
def test_spellings_of_one_flat_are_one_household(spelling: str) -> None:
    assert household_key(spelling, "Москва", "101000", "RU") == household_key(
        "ул. Ленина, д. 5, кв. 12", "Москва", "101000", "RU") is not None


@pytest.mark.parametrize(("a", "b"), [
    ("вул. Шевченка, буд. 10, кв. 3", "вулиця Шевченка будинок 10 квартира 3"),
    ("12 Main St Apt 4B", "Apt 4B, 12 Main Street"), ("12 Main Street #4B", "12 main st suite 4b"),
])
def test_ukrainian_and_us_abbreviations_are_one_household(a: str, b: str) -> None:
    assert household_key(a, "", "01001", "UA") == household_key(b, "", "01001", "UA")


def test_neighbours_share_a_building_but_not_a_household() -> None:
    flat_12 = ("ул. Ленина, д. 5, кв. 12", "Москва", "101000", "RU")
    flat_13 = ("ул. Ленина, д. 5, кв. 13", "Москва", "101000", "RU")
    assert building_key(*flat_12) == building_key(*flat_13) is not None
    assert household_key(*flat_12) != household_key(*flat_13)
    assert household_key("", "Москва", "101000", "RU") is None
