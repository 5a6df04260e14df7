"""Contests start from a template in the contest's language, and their address is made from
the title when none is typed."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from contest.errors import InvalidInput
from contest.rules.document import RulesDocument, SectionKind
from contest.rules.parse import parse_rules
from contest.rules.placeholders import placeholder_errors
from contest.rules.publishing import create_contest, draft_data, slug_for_title
from contest.rules.templates import Template, template_rules
from tests.fixtures import run_cli as run

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("template", list(Template))
@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_every_template_is_valid_rules_in_the_contests_language_with_placeholders_left(
    template: Template, language: str
) -> None:
    rules = parse_rules(template_rules(template, language=language, title="T", now=NOW))
    assert rules.language == language
    fields = {error.field for error in placeholder_errors(rules)}
    examples = {"sources.0.post", "sources.0.community"} if template == Template.REPOST else set()
    assert fields == {"sponsor.legal_name", "organiser.legal_name", "complaints.channel",
                      *examples}
    texts = " ".join(section.text for section in rules.sections)
    cyrillic = any("а" <= c <= "я" for c in texts.casefold())
    assert cyrillic == (language != "en")


def test_the_kinds_differ_as_such_contests_do() -> None:
    def rules(template: Template) -> RulesDocument:
        return parse_rules(template_rules(template, language="ru", title="T", now=NOW))

    receipt = rules(Template.RECEIPT_CODE)
    assert (receipt.limits.per_person, receipt.limits.per_day) == (10, 3)
    kinds = [s.kind for s in receipt.sections]
    assert SectionKind.NO_PURCHASE not in kinds
    assert receipt.sections[1].title == "Сохраните чек"
    repost = rules(Template.REPOST)
    assert repost.sections[0].title == "Как принять участие"
    assert "репост" in repost.sections[0].text
    sweepstake = rules(Template.SWEEPSTAKE)
    assert SectionKind.NO_PURCHASE in [s.kind for s in sweepstake.sections]


@pytest.mark.parametrize(("title", "language", "slug"), [
    ("Winter giveaway", "en", "winter-giveaway"),
    ("Зимний розыгрыш 2027!", "ru", "zimnii-rozygrysh-2027"),
    ("Щедрий вечір", "uk", "shchedryi-vechir"),
    ("Гарячі знижки", "uk", "hariachi-znyzhky"),
    ("Crème brûlée: élan", "en", "creme-brulee-elan"),
    ("Ёлка", "ru", "elka"),
    ("!!", "en", "contest"),
    ("Я", "ru", "contest-ya"),
    ("a" * 100, "en", "a" * 80),
])
def test_the_address_is_made_from_the_title(session: Session, title: str, language: str,
                                            slug: str) -> None:
    assert slug_for_title(session, title, language) == slug


def test_a_new_contest_without_an_address_gets_one_from_its_title_unique(
    session: Session,
) -> None:
    first = create_contest(session, slug="", title="Зимний розыгрыш", language="ru",
                           actor_id=None, now=NOW, template=Template.REPOST)
    second = create_contest(session, slug="", title="Зимний розыгрыш", language="ru",
                            actor_id=None, now=NOW)
    assert (first.slug, second.slug) == ("zimnii-rozygrysh", "zimnii-rozygrysh-2")
    assert draft_data(first)["sections"][0]["title"] == "Как принять участие"
    assert draft_data(second)["sections"][0]["kind"] == "no_purchase"


def test_no_title_and_no_address_is_one_error(session: Session) -> None:
    with pytest.raises(InvalidInput) as raised:
        create_contest(session, slug="", title=" ", language="en", actor_id=None, now=NOW)
    assert [e.field for e in raised.value.errors] == ["title"]


def test_the_command_line_starts_from_a_template_and_makes_the_slug(cli_env: Path) -> None:
    created = run("contests", "create", "", "--title", "Весенний розыгрыш", "--language", "ru",
                  "--template", "receipt_code")
    assert created.exit_code == 0, created.stderr
    assert created.stdout.strip() == "created vesennii-rozygrysh (draft)"
    shown = json.loads(run("rules", "show", "vesennii-rozygrysh", "--draft").stdout)
    assert shown["limits"]["per_day"] == 3
    refused = run("rules", "publish", "vesennii-rozygrysh")
    assert refused.exit_code != 0 and "(заменить)" in refused.stderr
