"""The typed helpers that give Core statements a table model's table and column widths."""

import pytest
from sqlmodel import SQLModel

from contest.models import Entry, RulesVersion, column_length, table_of


class NotATable(SQLModel):
    name: str


def test_a_table_model_gives_its_table() -> None:
    assert table_of(Entry).name == "entries"
    assert table_of(RulesVersion).name == "rules_versions"
    assert "idempotency_key" in table_of(Entry).c


def test_a_model_without_a_table_is_refused() -> None:
    with pytest.raises(TypeError, match="NotATable is not a table model"):
        table_of(NotATable)


def test_a_text_column_gives_its_width() -> None:
    assert column_length(Entry, "idempotency_key") == 210
    assert column_length(Entry, "country") == 2


def test_a_column_without_a_width_is_refused() -> None:
    with pytest.raises(TypeError, match=r"Entry\.id is not a text column of a set width"):
        column_length(Entry, "id")
