"""What is still missing, in words and in the order of the wizard's steps."""

from datetime import UTC, datetime

from contest.errors import FieldError
from contest.rules.starter import starter_rules
from contest.rules.wizard import Step, draft_problems, missing, step_of, todo_for
from tests.builders import rules_document

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_each_field_belongs_to_its_step() -> None:
    assert step_of("period.timezone") == Step.WHEN
    assert step_of("prizes.0.retail_value.amount") == Step.PRIZES
    assert step_of("eligibility.countries.1") == Step.WHO
    assert step_of("sponsor.legal_name") == Step.WHAT
    assert step_of("announcement.notify_by") == Step.SELECTION
    assert step_of("sections.2.text") == Step.SECTIONS


def test_problems_are_said_in_words_never_as_paths() -> None:
    assert todo_for("period.closes_at").text("en") == "Choose when entries close"
    assert todo_for("prizes.1.retail_value.amount").text("en") == "Give the value of prize 2"
    assert todo_for("period.timezone").text("uk") == "Оберіть часовий пояс розіграшу"
    assert todo_for("agencies").text("en") == "Check this step"


def test_missing_is_in_step_order_and_says_each_thing_once() -> None:
    problems = [FieldError(path, "x", "x") for path in (
        "complaints.channel", "prizes.0.retail_value.amount", "prizes.0.retail_value.currency",
        "period.closes_at", "title")]
    todos = missing(problems)
    assert [(t.step, t.text("en")) for t in todos] == [
        (Step.WHAT, "Give the contest a title"), (Step.WHEN, "Choose when entries close"),
        (Step.PRIZES, "Give the value of prize 1"),
        (Step.COMPLAINTS, "Give the official address for complaints")]


def test_a_valid_draft_still_has_its_placeholders_to_replace() -> None:
    starter = starter_rules(language="en", title="T", now=NOW)
    assert {p.code for p in draft_problems(starter)} == {"placeholder", "example_domain"}
    assert draft_problems(rules_document().to_data()) == []
    assert [t.text("en") for t in missing(draft_problems(starter))] == [
        "Give the sponsor's legal name", "Give the organiser's legal name",
        "Give the official address for complaints"]
