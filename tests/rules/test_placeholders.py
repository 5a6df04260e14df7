"""Placeholders cannot be published: a new contest's starter draft says "(replace me)" and
names example domains that reach no one; publishing refuses each, naming it, from the domain
(so the web and the command line refuse alike)."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from contest.errors import InvalidInput
from contest.models import RulesVersion
from contest.rules.document import ComplaintChannel, Party, Section, SectionKind
from contest.rules.parse import parse_rules
from contest.rules.placeholders import example_domains, placeholder_errors
from contest.rules.publishing import create_contest, publish
from contest.rules.starter import starter_rules
from tests.builders import OPENS, SIGNER, rules_document
from tests.fixtures import run_cli as run

BEFORE = OPENS - timedelta(days=3)


@pytest.mark.parametrize("text", [
    "complaints@example.com", "mail me at Complaints@Example.ORG.", "https://example.net/x",
    "legal@snowfall.example", "help@shop.test", "a@b.invalid", "http://localhost:5000/c",
    "admin@localhost", "support@promo.example.com", "write to x@sub.example.org",
    "legal@SNOWFALL.EXAMPLE.",
])
def test_example_domains_are_found_in_any_text(text: str) -> None:
    assert example_domains(text), text


@pytest.mark.parametrize("text", [
    "complaints@snowfall-foods.com", "https://examples.com/rules", "myexample.com",
    "example.company.ru", "test.ru", "the contest is a test of patience",
    "localhostel.com", "invalid entries are excluded", "Example Foods LLC", "контест.рф",
    "3.500 USD",
])
def test_real_domains_and_words_are_not_example_domains(text: str) -> None:
    assert example_domains(text) == []


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_every_placeholder_of_the_starter_draft_is_named(language: str) -> None:
    rules = parse_rules(starter_rules(language=language, title="T", now=BEFORE))
    errors = placeholder_errors(rules)
    fields = sorted({error.field for error in errors})
    assert fields == ["complaints.channel", "organiser.legal_name", "sponsor.legal_name"]
    assert {error.code for error in errors} == {"placeholder", "example_domain"}
    named = " ".join(error.text("en") for error in errors)
    assert "example.com" in named
    assert rules.sponsor.legal_name in named


def test_a_placeholder_anywhere_in_the_rules_is_named_with_its_field() -> None:
    rules = rules_document(
        sponsor=Party("Snowfall Foods LLC", contact="legal@snowfall.example"),
        complaints=ComplaintChannel("write to complaints@shop.test"),
        sections=(Section(SectionKind.OTHER, "Contact", "Call us (replace me)"),),
    )
    errors = placeholder_errors(rules)
    assert [(e.field, e.code) for e in errors] == [
        ("sponsor.contact", "example_domain"), ("complaints.channel", "example_domain"),
        ("sections.0.text", "placeholder")]
    assert errors[0].text("en") == (
        "names snowfall.example, an example domain that reaches no one: give a real address")
    assert errors[2].text("ru").startswith("ещё содержит заглушку")


def test_publishing_the_starter_draft_is_refused_and_nothing_is_published(
    session: Session,
) -> None:
    contest = create_contest(session, slug="fresh", language="uk", title="Весна",
                             actor_id=None, now=BEFORE)
    with pytest.raises(InvalidInput, match="cannot publish") as raised:
        publish(session, contest=contest, actor_id=None, now=BEFORE, signer=SIGNER)
    assert {e.field for e in raised.value.errors} == {
        "sponsor.legal_name", "organiser.legal_name", "complaints.channel"}
    assert session.exec(select(RulesVersion)).first() is None


def test_rules_without_placeholders_publish(session: Session) -> None:
    contest = create_contest(session, slug="ready", language="en", title="Winter giveaway",
                             actor_id=None, now=BEFORE, draft=rules_document().to_data())
    assert publish(session, contest=contest, actor_id=None, now=BEFORE,
                   signer=SIGNER).version == 1


def test_the_command_line_refuses_placeholders_too(cli_env: Path) -> None:
    rules_file = cli_env / "rules.json"
    data = rules_document().to_data()
    data["complaints"]["channel"] = "complaints@example.com"
    rules_file.write_text(json.dumps(data), encoding="utf-8")
    assert run("contests", "create", "winter-giveaway", "--title", "Winter giveaway",
               "--rules", str(rules_file)).exit_code == 0
    published = run("rules", "publish", "winter-giveaway")
    assert published.exit_code != 0
    assert "example.com, an example domain that reaches no one" in published.stderr
