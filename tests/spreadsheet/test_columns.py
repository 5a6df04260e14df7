"""Headers in Russian, Ukrainian and English mapped to fields; split names; --map."""

import pytest

from contest.errors import ImportFailed
from contest.spreadsheet.columns import IGNORE, NamePart, header_key, map_columns

ENTRY_FIELDS = ("entry_id", "submitted_at", "full_name", "email", "phone", "birth_date",
                "address", "city", "postal_code", "country", "ip", "device_id",
                "social_handle")
STAFF_FIELDS = ("staff_id", "full_name", "email", "phone", "birth_date", "address", "city",
                "postal_code", "country", "department", "company")


def fields(header: list[str], wanted: tuple[str, ...] = ENTRY_FIELDS,
           **options: object) -> dict[str, str | None]:
    mapped = map_columns(header, wanted, **options)  # type: ignore[arg-type]
    return {column.header: column.field for column in mapped.columns}


def test_headers_are_compared_by_their_letters_and_digits_case_folded_with_yo_as_ye() -> None:
    assert header_key(" Ф.И.О.* ") == header_key("фио") == "фио"
    assert header_key("Эл. почта") == "элпочта"
    assert header_key("Имя, отчество") == header_key("имя отчество")
    assert header_key("Пётр") == header_key("Петр")


@pytest.mark.parametrize(("header", "field"), [
    ("ФИО", "full_name"), ("Ф.И.О.", "full_name"), ("ПІБ", "full_name"),
    ("Full name", "full_name"), ("Телефон", "phone"), ("Моб. телефон", "phone"),
    ("Номер телефону", "phone"), ("Эл. почта", "email"), ("E-mail", "email"),
    ("Електронна пошта", "email"), ("Дата рождения", "birth_date"),
    ("Дата народження", "birth_date"), ("Date of birth", "birth_date"), ("Адрес", "address"),
    ("Адреса", "address"), ("Город", "city"), ("Місто", "city"), ("Индекс", "postal_code"),
    ("ZIP", "postal_code"), ("Страна", "country"), ("Країна", "country"),
    ("Дата и время", "submitted_at"), ("Timestamp", "submitted_at"), ("IP-адрес", "ip"),
    ("Ник", "social_handle"), ("entry_id", "entry_id"), ("Номер заявки", "entry_id"),
])
def test_a_header_in_any_of_the_three_languages_names_its_field(header: str,
                                                                 field: str) -> None:
    assert fields([header]) == {header: field}


def test_staff_headers_of_an_hr_export_and_the_columns_not_read_are_listed() -> None:
    header = ["Табельный номер", "ФИО", "Должность", "Отдел", "Компания", "Телефон",
              "Примечание"]
    mapped = map_columns(header, STAFF_FIELDS)
    assert {c.header: c.field for c in mapped.columns} == {
        "Табельный номер": "staff_id", "ФИО": "full_name", "Должность": None,
        "Отдел": "department", "Компания": "company", "Телефон": "phone",
        "Примечание": None}
    assert mapped.unknown == ("Должность", "Примечание")


def test_surname_given_name_and_patronymic_are_joined_in_the_order_of_a_russian_full_name(
        ) -> None:
    mapped = map_columns(["Имя", "Отчество", "Фамилия", "Телефон"], ENTRY_FIELDS)
    assert [c.header for c in mapped.name_parts] == ["Фамилия", "Имя", "Отчество"]
    assert mapped.header_of("full_name") == "Фамилия + Имя + Отчество"
    assert "full_name" in mapped.fields
    assert mapped.unknown == ()


def test_ukrainian_split_name_columns_are_parts_of_the_full_name() -> None:
    mapped = map_columns(["Прізвище", "Ім'я", "По батькові"], STAFF_FIELDS)
    assert [c.field for c in mapped.name_parts] == [
        NamePart.SURNAME, NamePart.GIVEN_NAME, NamePart.PATRONYMIC]


def test_english_split_names_are_joined_given_name_first() -> None:
    mapped = map_columns(["Last name", "First name", "Middle name"], ENTRY_FIELDS)
    assert [c.header for c in mapped.name_parts] == ["First name", "Middle name", "Last name"]


def test_a_lone_given_name_column_is_the_full_name_a_social_network_shows() -> None:
    assert fields(["Имя", "Ник"]) == {"Имя": "full_name", "Ник": "social_handle"}
    assert fields(["Ім'я", "Телефон"]) == {"Ім'я": "full_name", "Телефон": "phone"}


def test_a_full_name_column_beside_name_parts_is_read_and_the_parts_are_not() -> None:
    mapped = map_columns(["ФИО", "Фамилия", "Имя"], ENTRY_FIELDS)
    assert mapped.positions("full_name") == (0,)
    assert mapped.name_parts == ()
    assert mapped.unknown == ("Фамилия", "Имя")


def test_what_the_person_says_wins_over_the_header() -> None:
    header = ["Контакт", "Телефон", "Примечание"]
    assert fields(header, said={"контакт": "phone", "Телефон": IGNORE}) == {
        "Контакт": "phone", "Телефон": None, "Примечание": None}
    assert fields(header, said={"#3": "city"})["Примечание"] == "city"


def test_parts_of_a_name_said_by_their_words_are_joined_into_the_full_name() -> None:
    mapped = map_columns(["Фам.", "Имя", "Контакт"], ENTRY_FIELDS,
                         said={"Фам.": "surname", "Имя": "given_name", "Контакт": "phone"})
    assert [column.header for column in mapped.name_parts] == ["Фам.", "Имя"]
    assert mapped.description().params == {"mapping": "Фам. + Имя → full_name, "
                                                      "Контакт → phone"}


def test_a_map_naming_a_column_the_file_lacks_or_a_field_that_is_not_one_is_refused() -> None:
    with pytest.raises(ImportFailed) as missing:
        map_columns(["ФИО", "Телефон"], ENTRY_FIELDS, said={"Почта": "email"})
    assert "the file has no column Почта; its columns are ФИО, Телефон" in str(missing.value)
    with pytest.raises(ImportFailed) as unknown:
        map_columns(["ФИО", "Телефон"], ENTRY_FIELDS, said={"Телефон": "mobile"})
    assert "mobile is not a field" in str(unknown.value)


def test_two_columns_of_one_single_value_field_are_refused_with_what_to_do() -> None:
    with pytest.raises(ImportFailed) as twice:
        map_columns(["ФИО", "Телефон", "Моб. телефон"], ENTRY_FIELDS)
    assert "the columns Телефон, Моб. телефон all give phone" in str(twice.value)
    assert "--map" in str(twice.value)


def test_two_columns_of_a_field_that_holds_several_values_are_both_read() -> None:
    mapped = map_columns(["ФИО", "Рабочий телефон", "Личный телефон"], STAFF_FIELDS,
                         several=("email", "phone"))
    assert mapped.positions("phone") == (1, 2)
    assert mapped.header_of("phone") == "Рабочий телефон + Личный телефон"


def test_the_mapping_is_described_and_given_back_as_map_options() -> None:
    mapped = map_columns(["Фамилия", "Имя", "Телефон", "Должность"], ENTRY_FIELDS)
    assert str(mapped.description()) == (
        "columns: Фамилия + Имя → full_name, Телефон → phone")
    assert mapped.as_text() == "Фамилия=surname Имя=given_name Телефон=phone"
