"""parse_rules: the happy path, the round trip, and every error reported at once."""

import copy
import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from contest.errors import RulesInvalid
from contest.randomness import RandomnessSource
from contest.rules.document import Exclusions, Money, Prize, Relation, RulesDocument, Selection
from contest.rules.parse import country_codes, parse_rules, rules_errors
from tests.builders import rules_document


def data(**overrides: Any) -> dict[str, Any]:
    return rules_document(**overrides).to_data()


def with_regions(regions: tuple[str, ...], **overrides: Any) -> dict[str, Any]:
    rules = data(**overrides)
    rules["eligibility"]["regions"] = list(regions)
    return rules


def codes(rules: dict[str, Any]) -> dict[str, str]:
    """field → code of every error in ``rules``."""
    return {error.field: error.code for error in rules_errors(rules)}


def test_parses_the_builder_document_back_to_an_equal_value() -> None:
    document = rules_document(per_household=2, max_age=65)
    document = dataclasses.replace(
        document, eligibility=dataclasses.replace(document.eligibility, regions=("RU-MOW",))
    )
    parsed = parse_rules(document.to_data())
    assert parsed == document
    assert parsed.to_data() == document.to_data()
    assert isinstance(parsed.prizes, tuple)
    assert parsed.prizes[0].retail_value == Money(Decimal("100.00"), "USD")
    assert parsed.period.opens_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_round_trips_every_optional_field() -> None:
    document = rules_document(
        prizes=(
            Prize("Car", 1, Money(Decimal("25000"), "EUR"), Money(Decimal("20000.5"), "EUR")),
            Prize("Mug", 2, Money(Decimal("0"), "EUR")),
        ),
        exclusions=Exclusions(household=False, family=(Relation.SPOUSE,)),
        selection=Selection(randomness=RandomnessSource.RFC3797, details="NY lottery"),
    )
    document = parse_rules(document.to_data())  # the builder's announcement has no date
    rules = document.to_data()
    rules["announcement"]["publish_on"] = "2027-01-15"
    parsed = parse_rules(rules)
    assert parsed.announcement.publish_on == date(2027, 1, 15)
    assert parsed.to_data() == rules
    assert parse_rules(parsed.to_data()) == parsed


def test_missing_optional_sections_get_the_document_defaults() -> None:
    rules = data()
    for key in ("agencies", "exclusions", "limits", "selection", "sections", "schema"):
        del rules[key]
    parsed = parse_rules(rules)
    defaults = RulesDocument.__dataclass_fields__
    assert parsed.exclusions == Exclusions()
    assert parsed.selection == Selection()
    assert parsed.agencies == () and parsed.sections == ()
    assert parsed.schema == defaults["schema"].default


def test_a_bad_document_reports_all_its_errors_at_once() -> None:
    rules = data()
    rules["period"]["opens_at"] = "2026-12-10T00:00:00+03:00"
    rules["period"]["closes_at"] = "2026-12-01T00:00:00+03:00"
    rules["period"]["draw_at"] = "2026-12-20T00:00:00"
    rules["winners"] = 0
    rules["prizes"][0]["quantity"] = 2
    rules["eligibility"]["countries"] = ["RU", "XX"]
    rules["eligibility"]["min_age"] = 16
    rules["alternates"] = "two"
    rules["limits"]["per_person"] = True
    rules["title"] = 7
    rules["prizes"][0]["retail_value"] = {"amount": 100.0, "currency": "USD"}
    with pytest.raises(RulesInvalid, match="the rules have 10 errors") as raised:
        parse_rules(rules)
    found = [(error.field, error.code) for error in raised.value.errors]
    assert sorted(found) == sorted([
        ("title", "not_text"),
        ("period.closes_at", "closes_before_opens"),
        ("period.draw_at", "naive_moment"),
        ("eligibility.min_age", "below_legal_age"),
        ("eligibility.countries.1", "unknown_country"),
        ("limits.per_person", "not_integer"),
        ("prizes.0.retail_value.amount", "not_text"),
        ("winners", "too_small"),
        ("prizes", "prize_count_mismatch"),
        ("alternates", "not_integer"),
    ])
    texts = {error.field: error.text() for error in raised.value.errors}
    assert texts["prizes"] == "prize quantities add up to 2, but there are 0 winners"
    assert texts["eligibility.min_age"] == (
        "minimum age 16 is below the legal minimum 18 you set for this jurisdiction"
    )
    assert texts["eligibility.countries.1"] == "unknown country code XX"
    assert texts["period.draw_at"] == (
        "must include a time zone offset, got 2026-12-20T00:00:00"
    )
    assert texts["alternates"] == "must be a whole number from 0 to 1000000, got two"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda r: r.update(title="  "), "title", "required"),
        (lambda r: r["sponsor"].update(legal_name=""), "sponsor.legal_name", "required"),
        (lambda r: r["organiser"].pop("legal_name"), "organiser.legal_name", "required"),
        (lambda r: r["complaints"].update(channel=""), "complaints.channel", "required"),
        (lambda r: r["announcement"].update(notify_by=""), "announcement.notify_by", "required"),
        (lambda r: r.update(language="de"), "language", "invalid_choice"),
        (lambda r: r["period"].update(timezone="Europe/Atlantis"), "period.timezone",
         "unknown_timezone"),
        (lambda r: r["period"].update(opens_at="1 December"), "period.opens_at",
         "invalid_moment"),
        (lambda r: r["period"].update(draw_at="2026-12-31T08:59:59+00:00"), "period.draw_at",
         "draw_before_close"),
        (lambda r: r["eligibility"].update(legal_min_age=-1), "eligibility.legal_min_age",
         "too_small"),
        (lambda r: r["eligibility"].update(legal_min_age="18"), "eligibility.legal_min_age",
         "not_integer"),
        (lambda r: r["eligibility"].update(max_age=17), "eligibility.max_age", "max_below_min"),
        (lambda r: r["eligibility"].update(countries=["ZZ"]), "eligibility.countries.0",
         "unknown_country"),
        (lambda r: r["eligibility"].update(countries="RU"), "eligibility.countries",
         "not_list"),
        (lambda r: r["eligibility"].update(regions=["DE-BE"]), "eligibility.regions.0",
         "region_outside_countries"),
        (lambda r: r["eligibility"].update(regions=["moscow"]), "eligibility.regions.0",
         "invalid_region"),
        (lambda r: r["eligibility"].update(residency_required="yes"),
         "eligibility.residency_required", "not_boolean"),
        (lambda r: r["exclusions"].update(family=["cousin"]), "exclusions.family.0",
         "invalid_choice"),
        (lambda r: r["limits"].update(per_person=0), "limits.per_person", "too_small"),
        (lambda r: r["limits"].update(per_household=0), "limits.per_household", "too_small"),
        (lambda r: r["limits"].update(per_day=0), "limits.per_day", "too_small"),
        (lambda r: r["limits"].update(counts="latest"), "limits.counts", "invalid_choice"),
        (lambda r: r.update(alternates=-1), "alternates", "too_small"),
        (lambda r: r.update(prizes=[]), "prizes", "no_prizes"),
        (lambda r: r["prizes"].insert(0, dict(r["prizes"][0], quantity=0)),
         "prizes.0.quantity", "too_small"),
        (lambda r: r["prizes"][0]["retail_value"].update(amount="-1.00"),
         "prizes.0.retail_value.amount", "negative_amount"),
        (lambda r: r["prizes"][0]["retail_value"].update(amount="9.999"),
         "prizes.0.retail_value.amount", "too_many_decimal_places"),
        (lambda r: r["prizes"][0]["retail_value"].update(amount="1e3"),
         "prizes.0.retail_value.amount", "invalid_amount"),
        (lambda r: r["prizes"][0]["retail_value"].update(currency="usd"),
         "prizes.0.retail_value.currency", "unknown_currency"),
        (lambda r: r["prizes"][0].update(cash_alternative={"amount": "5"}),
         "prizes.0.cash_alternative.currency", "required"),
        (lambda r: r["selection"].update(method="coin-flip"), "selection.method",
         "invalid_choice"),
        (lambda r: r["selection"].update(randomness="dice"), "selection.randomness",
         "invalid_choice"),
        (lambda r: r["announcement"].update(notify_within_days=-1),
         "announcement.notify_within_days", "too_small"),
        (lambda r: r["announcement"].update(claim_days=0), "announcement.claim_days",
         "too_small"),
        (lambda r: r["announcement"].update(publish_on="2027-13-01"), "announcement.publish_on",
         "invalid_date"),
        (lambda r: r["complaints"].update(response_business_days=0),
         "complaints.response_business_days", "too_small"),
        (lambda r: r["sections"][0].update(kind="faq"), "sections.0.kind", "invalid_choice"),
        (lambda r: r["sections"][0].update(text=""), "sections.0.text", "required"),
        (lambda r: r["sections"].append("free text"), "sections.1", "not_object"),
        (lambda r: r.update(colour="blue"), "colour", "unknown_field"),
        (lambda r: r["period"].update(ends_at="x"), "period.ends_at", "unknown_field"),
        (lambda r: r.update(schema="contest-rules/9"), "schema", "unknown_schema"),
        (lambda r: r.pop("period"), "period", "required"),
        (lambda r: r.update(eligibility=[]), "eligibility", "not_object"),
    ],
)
def test_each_check_names_its_field_and_code(change: Any, field: str, code: str) -> None:
    rules = copy.deepcopy(data())
    change(rules)
    assert codes(rules) == {field: code}


def test_an_offset_in_z_form_is_accepted_and_the_zone_kept_apart() -> None:
    rules = data()
    rules["period"]["timezone"] = "Europe/Moscow"
    rules["period"]["opens_at"] = "2026-12-01T00:00:00Z"
    assert parse_rules(rules).period.opens_at == datetime(2026, 12, 1, tzinfo=UTC)


def test_regions_of_any_known_country_are_allowed_when_no_country_is_listed() -> None:
    rules = with_regions(("UA-30",), countries=())
    assert parse_rules(rules).eligibility.regions == ("UA-30",)
    assert codes(with_regions(("XX-01",), countries=())) == {
        "eligibility.regions.0": "unknown_country"
    }


def test_a_document_that_is_not_an_object_is_one_error() -> None:
    with pytest.raises(RulesInvalid, match="must be an object, got list"):
        parse_rules([])  # type: ignore[arg-type]


def test_country_codes_are_the_iso_3166_1_assigned_codes() -> None:
    codes = country_codes()
    assert len(codes) == 249
    assert {"RU", "UA", "US", "AX", "SS"} <= codes
    assert not {"XX", "ZZ", "EU", "XK", "UN"} & codes


@pytest.mark.parametrize(("zone", "field", "moment"), [
    ("Asia/Tokyo", "opens_at", "0001-01-01T00:00:00+09:18"),  # year 0 in UTC: no datetime
    ("America/New_York", "draw_at", "9999-12-31T23:59:59-23:59"),  # year 10000 in UTC
    ("UTC", "opens_at", "1999-12-31T23:59:59+00:00"),
    ("UTC", "draw_at", "3000-01-01T00:00:00+00:00"),
    # As written in 2000 and 3000, but in UTC in 1999 and 2999: the UTC form counts.
    ("UTC", "opens_at", "2000-01-01T00:30:00+01:00"),
    ("UTC", "draw_at", "2999-12-31T23:00:00-02:00"),
    # In UTC within the years, but not in the contest's own time zone.
    ("Pacific/Kiritimati", "draw_at", "2999-12-31T12:00:00+00:00"),
    ("Pacific/Pago_Pago", "opens_at", "2000-01-01T05:00:00+00:00"),
])
def test_a_moment_outside_the_years_2000_to_2999_is_named(zone: str, field: str,
                                                          moment: str) -> None:
    rules = data()
    rules["period"]["timezone"] = zone
    rules["period"]["opens_at"] = "2026-12-01T09:00:00+00:00"
    rules["period"]["closes_at"] = "2026-12-31T09:00:00+00:00"
    rules["period"]["draw_at"] = "2027-01-02T09:00:00+00:00"
    rules["period"][field] = moment
    errors = {error.field: error for error in rules_errors(rules)}
    error = errors[f"period.{field}"]
    assert error.code == "moment_out_of_range"
    assert "in the years 2000 to 2999, in UTC and in the contest's time zone" in error.text()
    assert moment in error.text()


@pytest.mark.parametrize("moment", ["2000-01-01T00:00:00+00:00", "2999-12-31T23:59:59+00:00",
                                    "2000-01-01T00:00:00.000001-13:00"])
def test_the_first_and_last_moments_of_the_years_are_read(moment: str) -> None:
    rules = data()
    rules["period"]["opens_at"] = rules["period"]["closes_at"] = rules["period"]["draw_at"] = (
        moment)
    assert {e.field: e.code for e in rules_errors(rules)} == {
        "period.closes_at": "closes_before_opens"}


def test_a_version_published_with_an_odd_moment_is_still_read_as_published() -> None:
    rules = data()
    rules["period"]["draw_at"] = "3001-01-01T00:00:00+00:00"
    with pytest.raises(RulesInvalid):
        parse_rules(rules)
    assert parse_rules(rules, published=True).period.draw_at.year == 3001


@pytest.mark.parametrize("title", ["Winter \ud800 giveaway", "Winter \ufffe giveaway"])
def test_a_title_that_is_not_text_is_not_one_line(title: str) -> None:
    assert codes(dict(data(), title=title)) == {"title": "not_one_line"}


def test_only_the_utc_and_local_forms_count_not_the_year_as_written() -> None:
    rules = data()
    rules["period"]["opens_at"] = "1999-12-31T23:00:00-02:00"  # 2000-01-01T01:00 in UTC
    assert parse_rules(rules).period.opens_at == datetime(2000, 1, 1, 1, tzinfo=UTC)


def test_the_defences_are_read_and_left_out_of_the_data_when_they_are_the_defaults() -> None:
    from contest.rules.document import Defences, DisposableEmail

    plain = rules_document()
    assert "defences" not in plain.to_data()  # rules from before keep their hash
    guarded = parse_rules({**plain.to_data(), "defences": {
        "confirm_email": True, "disposable_email": "refuse", "api_challenge": True}})
    assert guarded.defences == Defences(True, DisposableEmail.REFUSE, True)
    assert parse_rules(guarded.to_data()) == guarded
    with pytest.raises(RulesInvalid) as invalid:
        parse_rules({**plain.to_data(), "defences": {"disposable_email": "ban",
                                                      "confirm_email": "yes", "captcha": 1}})
    assert {(error.field, error.code) for error in invalid.value.errors} == {
        ("defences.disposable_email", "invalid_choice"),
        ("defences.confirm_email", "not_boolean"), ("defences.captcha", "unknown_field")}
