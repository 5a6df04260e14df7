"""Any moment (Hypothesis): whatever aware date and time the rules or an imported entry
name, in whatever time zone, it is read or refused by name (``moment_out_of_range`` unless it
falls in the years 2000 to 2999 in UTC and in the contest's zone), never an exception; what
is read can be put in the contest's time zone; and the rules editor shows any draft's moment
and, saved unchanged, keeps it to the microsecond."""

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from contest.entries.eligibility import local_day
from contest.entries.submission import parse_submission
from contest.errors import EntryRejected, RulesInvalid
from contest.rules.parse import parse_rules, time_zones
from contest.rules.ranges import MOMENT_YEARS
from tests.builders import rules_document
from tests.entries.builders import entrant
from web.rules_form import draft_to_form, form_to_draft

DAY = timedelta(days=1)
OFFSETS = st.timedeltas(min_value=-DAY + timedelta(microseconds=1),
                        max_value=DAY - timedelta(microseconds=1)).map(timezone)
ZONES = st.sampled_from(sorted(time_zones()))
# Any aware moment in the calendar, with a fixed offset (to the microsecond) or a zone's, as
# its ISO 8601 text says it (a wall time a zone skips compares unequal to any other: PEP 495).
AWARE = (st.datetimes(timezones=OFFSETS | st.timezones()) | st.datetimes(
    min_value=datetime(1998, 1, 1), max_value=datetime(3001, 12, 31),
    timezones=OFFSETS | st.timezones())).map(lambda moment: datetime.fromisoformat(
        moment.isoformat()))
FIELDS = st.sampled_from(["opens_at", "closes_at", "draw_at"])


def within_years(moment: datetime, *zones: str) -> bool:
    """The oracle: the moment in UTC and in each zone falls in the years, a moment that
    cannot be put there (beyond the calendar) does not."""
    try:
        forms = [moment.astimezone(UTC), *(moment.astimezone(ZoneInfo(z)) for z in zones)]
    except OverflowError:
        return False
    return all(MOMENT_YEARS.minimum <= form.year <= MOMENT_YEARS.maximum for form in forms)


def with_moment(zone: str, field: str, moment: str) -> dict[str, Any]:
    rules = rules_document().to_data()
    rules["period"]["timezone"] = zone
    rules["period"][field] = moment
    return rules


@settings(max_examples=500, deadline=None)
@given(moment=AWARE, zone=ZONES, field=FIELDS)
def test_any_moment_in_the_rules_is_read_or_named(moment: datetime, zone: str,
                                                  field: str) -> None:
    try:
        rules = parse_rules(with_moment(zone, field, moment.isoformat()))
    except RulesInvalid as invalid:
        error = next((e for e in invalid.errors if e.field == f"period.{field}"), None)
        if error is not None and error.code == "moment_out_of_range":
            assert not within_years(moment, zone)
            for language in ("en", "ru", "uk"):
                assert "2000" in error.text(language) and "2999" in error.text(language)
            return
        # Otherwise only the order of the moments is wrong.
        assert within_years(moment, zone)
        assert {e.code for e in invalid.errors} <= {"closes_before_opens", "draw_before_close"}
        return
    assert within_years(moment, zone)
    read = getattr(rules.period, field)
    assert read == moment and read.astimezone(ZoneInfo(zone)).year in MOMENT_YEARS


@settings(max_examples=500, deadline=None)
@given(moment=AWARE, zone=ZONES)
def test_any_moment_an_imported_entry_names_is_taken_or_named(moment: datetime,
                                                              zone: str) -> None:
    try:
        submission = parse_submission(entrant(submitted_at=moment.isoformat()))
    except EntryRejected as rejected:
        assert [(e.field, e.code) for e in rejected.errors] == [
            ("submitted_at", "moment_out_of_range")]
        assert not within_years(moment)
        return
    assert within_years(moment) and submission.submitted_at == moment
    rules = rules_document()
    rules = dataclasses.replace(rules, period=dataclasses.replace(rules.period, timezone=zone))
    assert local_day(rules, submission.submitted_at) == moment.astimezone(ZoneInfo(zone)).date()


@settings(max_examples=500, deadline=None)
@given(moment=AWARE, zone=ZONES | st.sampled_from(["", "Europe", "UTC/", "Mars/Olympus"]),
       field=FIELDS)
def test_the_editor_shows_any_moment_and_an_unchanged_save_keeps_it(moment: datetime,
                                                                    zone: str,
                                                                    field: str) -> None:
    draft = with_moment(zone, field, moment.isoformat())
    form = draft_to_form(draft)
    saved = form_to_draft(form, [])["period"][field]
    if zone not in time_zones() or not within_years(moment, zone):
        return  # shown as stored; the validation names it
    local = moment.astimezone(ZoneInfo(zone))
    assert form[f"period.{field}"] == local.replace(tzinfo=None).isoformat()[:len(
        form[f"period.{field}"])]
    repeated = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    if not repeated:  # the hour clocks go back twice is the one a wall time cannot tell
        assert datetime.fromisoformat(saved) == moment
