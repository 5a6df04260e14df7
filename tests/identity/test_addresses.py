"""Addresses: spellings of one flat are one household, neighbours in one building are one
building but never one household, and different buildings stay apart."""

import gc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contest.identity.addresses import (
    HOUSEHOLD_KEY_LENGTH,
    AddressParts,
    building_key,
    city_key,
    household_key,
    household_readings,
    parse_address,
)

MOSCOW = ("Москва", "101000", "RU")
KYIV = ("Київ", "01001", "UA")
NEW_YORK = ("New York", "10001", "US")


@pytest.mark.parametrize("spelling", [
    "ул. Ленина, д. 5, кв. 12", "улица Ленина дом 5 квартира 12", "Ленина ул 5-12",
    "ул.Ленина, д.5, кв.12", "УЛ. ЛЕНИНА, Д. 5, КВ. 12", "Ленина ул., 5, кв 12",
    "кв. 12, д. 5, ул. Ленина", "ул Ленина 5 кв 12", "ул. Ленина, 5, 12",
    "ул. Ленина, д. № 5, кв. № 12",
    "ul. Lenina, d. 5, kv. 12", "Lenina St 5 apt 12", "ул. им. Ленина, д. 5, кв. 12",
    "101000, г. Москва, ул. Ленина, д. 5, кв. 12", "Москва, ул. Ленина, д. 5, кв. 12",
    "Россия, г. Москва, ул. Ленина, д. 5, кв. 12", "г Москва ул Ленина д 5 кв 12",
])
def test_spellings_of_one_moscow_flat_are_one_household(spelling: str) -> None:
    assert household_key(spelling, *MOSCOW) == "RU|moskva|lenina 5|12"


@pytest.mark.parametrize(("a", "b"), [
    ("вул. Шевченка, буд. 10, кв. 3", "вулиця Шевченка будинок 10 квартира 3"),
    ("вул Шевченка 10-3", "Шевченка вул., буд.10, кв.3"),
    ("просп. Перемоги, 37/2, кв. 15", "проспект Перемоги буд. 37/2 кв 15"),
    ("пров. Тихий, 4, кв. 1", "провулок Тихий, будинок 4, квартира 1"),
    ("вул. Десятого квітня, буд. 56/9, кв. 54", "Десятого квітня вул. 56/9 кв. 54"),
])
def test_spellings_of_one_ukrainian_flat_are_one_household(a: str, b: str) -> None:
    assert household_key(a, *KYIV) == household_key(b, *KYIV) is not None


@pytest.mark.parametrize(("a", "b"), [
    ("12 Main St Apt 4B", "Apt 4B, 12 Main Street"),
    ("12 Main Street #4B", "12 main st suite 4b"),
    ("12 Main St, Unit 4-B", "12 MAIN ST. APT. 4B"), ("12 Main St 4B", "12 Main Street, # 4B"),
    ("100 W 34th St Apt 5", "100 West 34th Street, Apt 5"),
    ("12 St Marks Pl", "12 Saint Marks Place"), ("350 5th Ave Ste 3", "350 5th Avenue, Suite 3"),
    ("7 Elm Rd", "7 Elm Road"), ("9 Park Blvd", "9 Park Boulevard"), ("3 Oak Ln", "3 Oak Lane"),
    ("12 Main St, New York, NY 10001", "12 Main Street"),
])
def test_spellings_of_one_american_home_are_one_household(a: str, b: str) -> None:
    assert household_key(a, *NEW_YORK) == household_key(b, *NEW_YORK) is not None


@pytest.mark.parametrize(("a", "b"), [
    ("ул. Набережная, д. 3, кв. 7", "Набережная ул., 3-7"),        # a street kind as the name
    ("наб. Набережная, д. 3, кв. 7", "набережная Набережная 3 кв 7"),
    ("ш. Восточная, д. 42, квартира 266", "ВОСТОЧНАЯ ШОССЕ, Д. 42, КВ 266"),
    ("ул. Мая 1, д. 36/2, кв. 5", "улица Мая 1, 36/2, кв. 5"),      # "1 Мая" written backwards
    ("ул. 1 Мая, д. 95, кв. 205", "улица 1 мая 95 квартира 205"),
    ("улица Восьмого Марта 150 кв. 231", "Восьмого Марта ул., д. 150, кв. 231"),
    ("2162 Lane Dr", "2162 Lane Drive"), ("8089 Lane St #94", "8089 Lane Street, Suite 94"),
])
def test_street_names_made_of_kinds_and_numbers_are_read_alike(a: str, b: str) -> None:
    assert household_key(a, *MOSCOW) == household_key(b, *MOSCOW) is not None


@pytest.mark.parametrize(("a", "b", "place"), [
    ("ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 5, кв. 13", MOSCOW),
    ("Ленина 5-12", "Ленина 5-112", MOSCOW),
    ("ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 5", MOSCOW),
    ("вул. Шевченка, буд. 10, кв. 3", "вул. Шевченка, буд. 10, кв. 4", KYIV),
    ("12 Main St Apt 4B", "12 Main St Apt 4C", NEW_YORK),
    ("12 Main St Apt 4B", "12 Main St Apt 5B", NEW_YORK),
    ("Apt 4B, 12 Main Street", "12 Main St", NEW_YORK),
])
def test_neighbours_share_a_building_but_not_a_household(
        a: str, b: str, place: tuple[str, str, str]) -> None:
    assert building_key(a, *place) == building_key(b, *place) is not None
    assert household_key(a, *place) != household_key(b, *place)


@pytest.mark.parametrize(("a", "b"), [
    ("ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 7, кв. 12"),
    ("ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 5а, кв. 12"),
    ("ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 5, корп. 2, кв. 12"),
    ("ул. Ленина, д. 5, корп. 1, кв. 12", "ул. Ленина, 5к2, кв. 12"),
    ("ул. Ленина, д. 5, стр. 1", "ул. Ленина, д. 5, стр. 2"),
    ("ул. Ленина, д. 12/3", "ул. Ленина, д. 12"),
    ("ул. Ленина, д. 5, кв. 12", "ул. Пушкина, д. 5, кв. 12"),
    ("ул. 8 Марта, д. 5", "ул. 9 Мая, д. 5"),
    ("1-я Тверская-Ямская, д. 10", "2-я Тверская-Ямская, д. 10"),
    ("12 Main St", "21 Main St"), ("12 Main St", "12 Elm St"), ("12 N Main St", "12 S Main St"),
    ("ул. Набережная, 3", "пр-т Набережная, 3"), ("12 Lane Dr", "12 Lane Ave"),
])
def test_different_buildings_stay_apart(a: str, b: str) -> None:
    assert building_key(a, *MOSCOW) != building_key(b, *MOSCOW)


def test_the_place_is_part_of_the_key() -> None:
    address = "ул. Ленина, д. 5, кв. 12"
    assert household_key(address, "Москва", "", "RU") != household_key(address, "Казань", "",
                                                                         "RU")
    assert household_key(address, "Москва", "", "RU") != household_key(address, "Москва", "",
                                                                         "UA")
    assert household_key(address, "г. Москва", "", "ru") == household_key(address, "Moscow",
                                                                            "101000", "RU")
    assert household_key("г. Москва, " + address, "", "", "RU") == household_key(
        address, "Москва", "", "RU") != household_key(address, "", "", "RU")
    assert household_key("12 Main St", "New York", "10001-1234", "US") == household_key(
        "12 Main St", "Manhattan", "10001", "US")


@pytest.mark.parametrize(("a", "b"), [
    ("Київ", "Kyiv"), ("Киев", "Kiev"), ("Kyiv", "Киев"), ("г. Москва", "Moscow"),
    ("Санкт-Петербург", "St. Petersburg"), ("СПб", "Saint Petersburg"), ("Харків", "Kharkov"),
    ("Одесса", "Odesa"), ("м. Львів", "Lviv"), ("Днепр", "Dnipro"), ("NYC", "New York"),
    ("Екатеринбург", "Yekaterinburg"), ("Нижний Новгород", "Nizhny Novgorod"),
])
def test_spellings_of_one_city_are_one(a: str, b: str) -> None:
    assert city_key(a) == city_key(b) != ""


@pytest.mark.parametrize(("address", "parts"), [
    ("ул. Ленина, д. 5, кв. 12", AddressParts(("lenina",), "5", flat="12")),
    ("Ленинский пр-т, 5к2, кв 12", AddressParts(("leninski",), "5", block="2", flat="12")),
    ("ул. Ленина, д. 5, корп. 2, стр. 1", AddressParts(("lenina",), "5", "2", "1")),
    ("ул. Ленина, 5с1", AddressParts(("lenina",), "5", structure="1")),
    ("ул. Ленина, д. 5 а, кв 1", AddressParts(("lenina",), "5a", flat="1")),
    ("ул. Ленина, д. 5-а, кв 1", AddressParts(("lenina",), "5a", flat="1")),
    ("ул. Ленина, д. 5, лит. А, кв. 1", AddressParts(("lenina",), "5a", flat="1")),
    ("ул. Ленина, 12/3, кв. 45", AddressParts(("lenina",), "12/3", flat="45")),
    ("1-я Тверская-Ямская ул., д. 10, кв. 5",
     AddressParts(("1th", "iamskaia", "tverskaia"), "10", flat="5")),
    ("ул. 8 Марта 5-12", AddressParts(("8", "marta"), "5", flat="12")),
    ("просп. 40-летия Октября, 5", AddressParts(("40th", "oktiabria"), "5")),
    ("ул. 26 Бакинских Комиссаров 5-12",
     AddressParts(("26", "bakinski", "komisarov"), "5", flat="12")),
    ("мкр. Солнечный, д. 5, кв. 3", AddressParts(("mkr", "solnechni"), "5", flat="3")),
    ("с. Ивановка, ул. Садовая, 3", AddressParts(("sadovaia",), "3", city="ivanovka")),
    ("Apt D, 12 Main St", AddressParts(("main",), "12", flat="d")),
    ("12 D St NW", AddressParts(("d", "nw"), "12")),
    ("12 S Main St Apt 3", AddressParts(("main", "s"), "12", flat="3")),
    ("ш. Восточная, д.42, квартира 266", AddressParts(("vostochnaia",), "42", flat="266")),
    ("ул. Набережная, 3", AddressParts(("embankment",), "3")),
    ("ул. Мая 1, д. 36/2", AddressParts(("1", "maia"), "36/2")),
])
def test_an_address_is_read_into_its_parts(address: str, parts: AddressParts) -> None:
    assert parse_address(address) == parts


@pytest.mark.parametrize("address", [
    "", "   ", "Ленина", "дом 5 кв 12", "д. 5а", "г. Москва", "Apt 4B", "PO Box", "12",
])
def test_an_address_without_street_and_house_has_no_key(address: str) -> None:
    assert parse_address(address) is None
    assert household_key(address, *MOSCOW) is None
    assert building_key(address, *MOSCOW) is None


def test_missing_fields_have_no_key() -> None:
    assert household_key(None, "Москва", None, None) is None
    assert building_key(None, None, None, None) is None
    assert household_key("ул. Ленина, 5", None, None, None) == "||lenina 5|"


@given(st.text(alphabet="ул.дкв Ленина0123456789-/,#№ApteStMain", max_size=50))
def test_reading_an_address_never_raises(address: str) -> None:
    key = household_key(address, "Москва", "101000", "RU")
    assert key is None or key.startswith("RU|moskva|")


def test_a_key_longer_than_its_column_is_its_hash() -> None:
    street = "ж" * 480                      # "zh" each once folded: a key of 1,000 characters
    flat_12 = household_key(f"ул. {street}, д. 5, кв. 12", "Москва", "101000", "RU")
    assert len(f"ул. {street}, д. 5, кв. 12") <= 500 < HOUSEHOLD_KEY_LENGTH
    assert flat_12 is not None and flat_12.startswith("sha256:") and len(flat_12) == 71
    assert household_key(f"{street} 5-12", "Москва", "101000", "RU") == flat_12
    assert household_key(f"{street} 5-13", "Москва", "101000", "RU") != flat_12


def test_what_is_remembered_of_an_address_is_nothing_the_garbage_collector_walks() -> None:
    """An import reads a new address in every row; an object kept for each would be walked
    by every full collection of the import (100,000 of them in an import of 100,000 rows)."""
    addresses = [f"ул. Гарбузова, д. {n}, кв. {n % 40 + 1}" for n in range(1, 1001)]
    gc.collect()
    tracked = len(gc.get_objects())
    keys = [household_key(address, *MOSCOW) for address in addresses]
    gc.collect()
    assert len(gc.get_objects()) - tracked < 50
    assert keys[0] == "RU|moskva|garbuzova 1|2"


@pytest.mark.parametrize("written", [
    "ул. Ленина, 5/12", "Ленина ул 5/12", "ул. Ленина 5-12", "ул. Ленина, д.5 кв.12",
    "ул. Ленина 5, кв. 12", "ул Ленина, дом 5, квартира 12"])
def test_house_and_flat_written_with_a_slash_may_be_that_flat(written: str) -> None:
    flat = household_key("ул. Ленина, д. 5, кв. 12", *MOSCOW)
    assert flat in household_readings(written, *MOSCOW)


def test_a_slash_is_only_a_corner_house_when_a_flat_block_or_structure_is_written() -> None:
    assert household_readings("ул. Ленина, 12/3, кв. 5", *MOSCOW) == (
        household_key("ул. Ленина, 12/3, кв. 5", *MOSCOW),)
    assert household_readings("ул. Ленина, 12/3 стр. 1", *MOSCOW) == (
        household_key("ул. Ленина, 12/3 стр. 1", *MOSCOW),)
    assert household_readings("ул. Ленина, 12/3", *MOSCOW)[0] == household_key(
        "ул. Ленина, 12/3", *MOSCOW)                   # the entry limits' key comes first
    assert household_key("ул. Ленина, д. 5, кв. 13", *MOSCOW) not in household_readings(
        "ул. Ленина, 5/12", *MOSCOW)                   # a neighbour stays a neighbour
    assert household_readings("-", *MOSCOW) == household_readings(None, *MOSCOW) == ()
