"""``contest prizes match`` and ``contest prizes check``, run as a person would."""

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from sqlmodel import Session

from contest.prizes.advice import contest_advice
from contest.prizes.matching import match_prize
from contest.rules.publishing import find_contest
from tests.fixtures import run_cli as run
from tests.prizes.builders import enter, prize, prize_contest, prize_rules

TEXTS = ("Apple iPhone 15 Pro 256GB", "Сертификат в магазин на 5000 руб.", "скейтбрд",
         "Трактор")


def test_match_json_prints_one_object_per_text_with_exactly_five_keys() -> None:
    result = run("prizes", "match", "--json", *TEXTS)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert [list(item) for item in printed] == [
        ["text", "type", "age_min", "age_max", "confidence"]] * len(TEXTS)
    assert [item["text"] for item in printed] == list(TEXTS)
    expected = [match_prize(text).prize_type for text in TEXTS]
    assert [item["type"] for item in printed] == [t.id if t else None for t in expected]
    assert printed[-1]["type"] is None and printed[-1]["age_min"] is None
    assert all(0 <= item["confidence"] <= 1 for item in printed)


def test_match_without_json_prints_a_table() -> None:
    result = run("prizes", "match", "велик", "Трактор")
    assert result.exit_code == 0
    header, bicycle, tractor = result.stdout.splitlines()
    assert header.split() == ["prize", "type", "ages", "confidence"]
    assert bicycle.split()[:2] == ["велик", "bicycle"]
    assert tractor.split()[:2] == ["Трактор", "unknown"]
    assert "reported unknown" in result.stderr


def test_match_needs_at_least_one_text() -> None:
    assert run("prizes", "match").exit_code == 2


def test_prizes_is_listed_in_the_help() -> None:
    assert "  prizes " in run("--help").output


def test_check_warns_suggests_and_draws_the_ages(cli_env: Path, session: Session) -> None:
    rules = prize_rules(prize("Скейтборд", "9000.00", "RUB"), prize("$100 gift card"))
    contest, version = prize_contest(session, rules)
    assert version is not None
    for number, year in enumerate((1955, 1962, 1968, 1971, 1990), start=1):
        enter(session, contest, version, rules, born=date(year, 6, 1), number=number)
    session.commit()
    expected = contest_advice(session, contest=find_contest(session, "winter-giveaway"))

    result = run("prizes", "check", "winter-giveaway", "--chart-dir", str(cli_env / "charts"))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("winter-giveaway (rules version 1): 5 eligible entrants")
    skateboard, gift_card = expected.advice
    assert "prize 1: Скейтборд — skateboard [skateboard], ages 5–35" in out
    assert f"universality {skateboard.score:.0%} — WARNING: {skateboard.text()}" in out
    assert "precondition: the winner must be able to ride it" in out
    for suggestion in skateboard.suggestions:
        assert f"- {suggestion.name()} [{suggestion.prize_type.id}]: suits " in out
    assert "offer a cash alternative of RUB9,000.00 in the rules" in out
    assert f"universality 100% — ok: {gift_card.text()}" in out
    first, second = out.split("prize 2:")
    assert "  35–39 ~ █" in first and "  55–59   █" in first
    assert "  35–39 * █" in second and "  55–59 * █" in second
    charts = sorted((cli_env / "charts").glob("*.svg"))
    assert [chart.name for chart in charts] == ["winter-giveaway-prize-1.svg",
                                                "winter-giveaway-prize-2.svg"]
    title = ET.parse(charts[0]).getroot().find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == f"Скейтборд: {skateboard.text()}"


def test_check_before_any_entries_uses_the_people_the_rules_admit(
        cli_env: Path, session: Session) -> None:
    prize_contest(session, prize_rules(prize("Велосипед"), countries=("RU", "KZ")))
    result = run("prizes", "check", "winter-giveaway")
    assert result.exit_code == 0, result.output
    assert ("no eligible entrants with a birth date yet; the people the rules admit, ages "
            "18+ in RU, KZ") in result.stdout
    assert "of the people your rules admit" in result.stdout


def test_check_reports_a_missing_contest_or_rules(cli_env: Path, session: Session) -> None:
    missing = run("prizes", "check", "no-such-contest")
    assert missing.exit_code == 1
    assert "no contest no-such-contest" in missing.stderr
    prize_contest(session, prize_rules(prize("Велосипед")), published=False)
    unpublished = run("prizes", "check", "winter-giveaway")
    assert unpublished.exit_code == 1
    assert "winter-giveaway has no published rules yet" in unpublished.stderr
