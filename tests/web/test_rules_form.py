"""The rules editor's form ↔ the draft: moments keep their seconds (an unchanged save
changes nothing), and a draft holding any odd moment or zone is shown, never a 500."""

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from contest.models import Contest
from contest.rules.parse import time_zones
from contest.rules.publishing import draft_data
from contest.rules.written import find_zone
from tests.builders import make_contest, rules_document
from tests.fixtures import Browser, Clock
from tests.web.test_rules_editor_ranges import sign_in_marketer
from web.rules_form import draft_to_form, form_to_draft

MOMENTS = ("opens_at", "closes_at", "draw_at")


def period(zone: str, **moments: str) -> dict[str, Any]:
    draft = rules_document().to_data()
    draft["period"]["timezone"] = zone
    draft["period"].update(moments)
    return draft


def round_trip(draft: dict[str, Any]) -> dict[str, Any]:
    form = draft_to_form(draft)
    return form_to_draft(form, [])


@pytest.mark.parametrize(("zone", "opens_at", "shown"), [
    ("UTC", "2026-12-01T09:00:30+00:00", "2026-12-01T09:00:30"),
    ("Europe/Moscow", "2026-12-01T09:00:30+03:00", "2026-12-01T09:00:30"),
    ("Europe/Moscow", "2026-12-01T06:00:30+00:00", "2026-12-01T09:00:30"),
    ("UTC", "2026-12-01T09:00:00+00:00", "2026-12-01T09:00:00"),
    ("UTC", "2026-12-01T09:00:00.250000+00:00", "2026-12-01T09:00:00.250"),
    ("UTC", "2026-12-01T09:00:00.000001+00:00", "2026-12-01T09:00:00.000001"),
])
def test_moments_are_shown_to_the_second_and_read_back_as_they_were(
    zone: str, opens_at: str, shown: str
) -> None:
    draft = period(zone, opens_at=opens_at)
    assert draft_to_form(draft)["period.opens_at"] == shown
    back = round_trip(draft)["period"]
    assert datetime.fromisoformat(back["opens_at"]) == datetime.fromisoformat(opens_at)
    for name in MOMENTS:
        assert datetime.fromisoformat(back[name]) == datetime.fromisoformat(
            draft["period"][name])


ODD = [  # zone, the draft's odd moments, and what the editor shows for them
    ("Asia/Tokyo", {"opens_at": "0001-01-01T00:00:00+09:18:59"}, None),  # year 0 in UTC
    ("America/Los_Angeles", {"draw_at": "9999-12-31T23:59:59-23:59"}, None),  # 10000 in UTC
    ("Pacific/Kiritimati", {"closes_at": "9999-12-31T23:59:59+00:00"}, None),  # 10000 there
    ("Europe", {"opens_at": "2026-12-01T09:00:00+00:00"}, None),  # a folder of zones
    ("../../../etc/passwd", {"opens_at": "2026-12-01T09:00:00+00:00"}, None),
    ("Europe/\x00Moscow", {"opens_at": "2026-12-01T09:00:00+00:00"}, None),
    ("UTC", {"opens_at": "tomorrow", "closes_at": 7, "draw_at": None},
     {"opens_at": "tomorrow", "closes_at": "", "draw_at": ""}),
]


@pytest.mark.parametrize(("zone", "moments", "shown"), ODD)
def test_a_draft_with_an_odd_moment_or_zone_is_shown_as_it_is(
    zone: str, moments: dict[str, Any], shown: dict[str, str] | None
) -> None:
    """A moment the editor cannot put in the contest's time zone is shown as stored."""
    draft = period(zone, **moments)
    form = draft_to_form(draft)
    assert {name: form[f"period.{name}"] for name in moments} == (shown or moments)
    # A known zone is shown as the picker names it (its city), an unknown one as stored.
    if zone in time_zones():
        assert find_zone(form["period.timezone"], "en") == zone
    else:
        assert form["period.timezone"] == zone
    assert round_trip(draft)["period"]["timezone"] == zone.strip()


@pytest.mark.parametrize("zone", ["Europe", "../../../etc/passwd", "", "Mars/Olympus_Mons"])
def test_a_form_with_a_zone_that_is_no_zone_keeps_the_moment_as_typed(zone: str) -> None:
    form = draft_to_form(rules_document().to_data()) | {"period.timezone": zone,
                                                        "period.opens_at": "2026-12-01T09:00"}
    assert form_to_draft(form, [])["period"]["opens_at"] == "2026-12-01T09:00"


def test_the_editor_offers_seconds_and_an_unchanged_save_changes_no_moment(
    client: Browser, db: Session, clock: Clock
) -> None:
    opens = datetime(2026, 12, 1, 9, 0, 30, tzinfo=UTC)
    contest, _ = make_contest(db, published=False, rules=rules_document(
        opens_at=opens, closes_at=opens + timedelta(days=30, seconds=15)))
    sign_in_marketer(client, db, clock)
    before = draft_data(contest)
    page = client.get(f"/manage/contests/{contest.slug}/rules?step=when").get_data(as_text=True)
    for name in MOMENTS:
        tag = re.search(rf'<input[^>]*name="period\.{name}"[^>]*>', page)
        assert tag is not None and 'type="datetime-local"' in tag.group(0)
        assert 'step="1"' in tag.group(0), tag.group(0)
    assert 'value="2026-12-01T09:00:30"' in page
    form = draft_to_form(before) | {"then": "stay"}
    saved = client.submit(f"/manage/contests/{contest.slug}/rules", form)
    assert saved.status_code == 200
    db.expire_all()
    after = json.loads((db.get(Contest, contest.id) or contest).draft_json)
    assert after["period"] == before["period"]


def test_the_editor_shows_a_draft_with_a_moment_outside_the_calendar(
    client: Browser, db: Session, clock: Clock
) -> None:
    contest, _ = make_contest(db, published=False)
    sign_in_marketer(client, db, clock)
    form = draft_to_form(draft_data(contest)) | {
        "period.timezone": "Asia/Tokyo", "period.opens_at": "0001-01-01T00:00",
        "then": "stay"}
    saved = client.submit(f"/manage/contests/{contest.slug}/rules", form)
    assert saved.status_code == 422
    html = saved.get_data(as_text=True)
    assert ("must be a moment in the years 2000 to 2999, in UTC and in the contest&#39;s "
            "time zone") in html
    shown = client.get(f"/manage/contests/{contest.slug}/rules?step=when")
    assert shown.status_code == 200
    assert 'value="0001-01-01T00:00:00+09:18:59"' in shown.get_data(as_text=True)
