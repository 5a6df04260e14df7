"""A number and its noun agree in every language: "1 error", "2 errors"; Russian and
Ukrainian have three forms (1 ошибка, 3 ошибки, 5 ошибок), Babel's plural rules choose."""

import re

import pytest

from contest.csvfile import RowError
from contest.entries.csv_import import ImportReport
from contest.errors import EntryRejected, FieldError
from contest.i18n import N_plural, Plural, translate
from contest.spreadsheet.table import ReadReport
from tests.test_translations import catalog_template

ERROR = FieldError("email", "required", "is required")


@pytest.mark.parametrize(("count", "language", "said"), [
    (1, "en", "the entry has 1 error"), (2, "en", "the entry has 2 errors"),
    (1, "ru", "в заявке 1 ошибка"), (3, "ru", "в заявке 3 ошибки"),
    (5, "ru", "в заявке 5 ошибок"), (21, "ru", "в заявке 21 ошибка"),
    (1, "uk", "у заявці 1 помилка"), (4, "uk", "у заявці 4 помилки"),
    (11, "uk", "у заявці 11 помилок"),
])
def test_an_error_count_agrees_with_its_noun(count: int, language: str, said: str) -> None:
    rejected = EntryRejected(N_plural("the entry has {count} error",
                                      "the entry has {count} errors"), [ERROR] * count)
    assert rejected.text(language) == said


def test_a_plural_takes_its_number_from_the_parameter_it_names() -> None:
    days = N_plural("within {days} day", "within {days} days", "days")
    assert isinstance(days, Plural)
    assert translate(days, "en", {"days": 1}) == "within 1 day"
    assert translate(days, "en", {"days": 7}) == "within 7 days"


def test_an_import_of_one_row_says_one_row() -> None:
    report = ImportReport(total_rows=1, accepted=1)
    assert report.summary("en").startswith("1 row: 1 imported")
    assert "1 строка" in report.summary("ru")
    assert "1 рядок" in report.summary("uk")


def test_a_file_with_one_field_warned_about_says_one_field() -> None:
    read = ReadReport(rows=1, kept=1,
                      warnings=[RowError(2, "email", "not_email", "is not an address")])
    assert read.summary("en") == (
        "1 row read: 1 person kept, 1 field warned about, 0 rows refused")
    assert read.summary("ru") == (
        "прочитано 1 строка: сохранено 1 человек, с предупреждениями — 1 поле, "
        "отклонено 0 строк")
    assert "збережено 2 особи" in ReadReport(rows=2, kept=2).summary("uk")


COUNTED_NOUN = re.compile(r"(?:\{count\}|\{entries\}|%\((?:count|num|days)\)s) (?:[a-z]+ )?"
                          r"(?:errors|entries|flags|days|rows|fields|business days)\b")


def test_no_message_puts_a_count_before_a_plural_noun_without_a_singular_form() -> None:
    """Every English message where a number meets a plural noun has its singular too."""
    from babel.messages.pofile import read_po

    from contest.i18n import TRANSLATIONS_DIR
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as stream:
        singular_only = [message.id for message in read_po(stream)
                         if message.id and not isinstance(message.id, tuple)
                         and COUNTED_NOUN.search(message.id)]
    assert catalog_template()
    assert not singular_only, singular_only
