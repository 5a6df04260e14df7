"""What the rules require of an entry, checked before a live entry is stored: the age and
the country of the entrant, and their consent to the processing of their personal data.
Entries brought in from a file are kept with their reason codes instead."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from contest.entries.consent import consent_for, consents
from contest.entries.eligibility import Reason, static_reasons
from contest.entries.intake import Arrival, BroughtIn, TakenEntry, take_entries, take_entry
from contest.entries.requirements import entry_requirements
from contest.entries.submission import parse_submission
from contest.errors import EntryRejected
from contest.models import Channel, ConsentText, Entry
from contest.rules.document import RulesDocument
from tests.builders import SIGNER, make_published, rules_document
from tests.entries.builders import DURING, entrant

CHILD = entrant(birth_date="2012-04-12")  # 14 on the day of the entry


def in_regions(*regions: str) -> RulesDocument:
    rules = rules_document(countries=())
    return replace(rules, eligibility=replace(rules.eligibility, regions=regions))


def entries(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Entry)).one()


def agreed(rules: RulesDocument, language: str = "en") -> str:
    return consent_for(rules, language).version


def refusal(session: Session, rules: RulesDocument, data: dict[str, str | None], *,
            language: str = "en", consent: str | None = "agreed",
            slug: str = "winter-giveaway") -> EntryRejected:
    published = make_published(session, rules=rules, slug=slug)
    with pytest.raises(EntryRejected) as refused:
        take_entry(session, signer=SIGNER, contest=published, arrival=Arrival(
            data, Channel.FORM, DURING, language=language,
            consent=agreed(rules, language) if consent == "agreed" else consent))
    assert entries(session) == 0
    return refused.value


def test_the_rules_say_which_fields_an_entry_needs() -> None:
    assert entry_requirements(rules_document()).required == (
        "full_name", "birth_date", "country", "personal_data_consent")
    free = entry_requirements(rules_document(min_age=0, countries=()))
    assert (free.birth_date, free.country, free.required) == (
        False, False, ("full_name", "personal_data_consent"))
    assert entry_requirements(rules_document(min_age=0, max_age=30)).birth_date
    needed = entry_requirements(in_regions("RU-MOW", "RU-SPE"))
    assert (needed.country, needed.countries) == (True, ("RU",))
    assert needed.places("ru") == "Россия"
    assert entry_requirements(rules_document()).places("uk") == "Росія, Україна або Сполучені Штати"


def test_a_country_left_out_where_only_regions_are_named_is_a_reason() -> None:
    entry = parse_submission(entrant(country=None))
    assert static_reasons(in_regions("RU-MOW"), entry, DURING) == [Reason.COUNTRY_UNKNOWN]


def test_a_14_year_olds_entry_is_refused_in_their_language_and_nothing_is_kept(
        session: Session) -> None:
    refused = refusal(session, rules_document(), CHILD, language="ru")
    assert [(error.field, error.code) for error in refused.errors] == [
        ("birth_date", "under_age")]
    assert refused.errors[0].text("ru") == (
        "минимальный возраст для участия в этом конкурсе — 18")
    assert refused.errors[0].text("en") == "the minimum age to enter this contest is 18"


def test_an_entrant_over_the_maximum_age_is_refused(session: Session) -> None:
    refused = refusal(session, rules_document(max_age=30), entrant(birth_date="1950-01-01"))
    assert [(error.field, error.code, error.text()) for error in refused.errors] == [
        ("birth_date", "over_age", "the maximum age to enter this contest is 30")]


def test_fields_the_rules_need_left_out_are_refused_by_name(session: Session) -> None:
    refused = refusal(session, rules_document(countries=("RU", "UA")),
                      entrant(birth_date=None, country=None), language="uk")
    assert [(error.field, error.code) for error in refused.errors] == [
        ("birth_date", "required"), ("country", "required")]
    assert "Росія або Україна" in refused.errors[1].text("uk")


def test_an_entrant_from_a_country_the_rules_leave_out_is_refused(session: Session) -> None:
    refused = refusal(session, rules_document(countries=("UA",)), entrant(), language="en")
    assert [(error.field, error.code, error.text()) for error in refused.errors] == [
        ("country", "country_not_allowed",
         "this contest is open only to people living in Ukraine")]


def test_without_limits_the_age_and_country_may_be_left_out(session: Session) -> None:
    rules = rules_document(min_age=0, countries=())
    published = make_published(session, rules=rules)
    taken = take_entry(session, signer=SIGNER, contest=published, arrival=Arrival(
        entrant(birth_date=None, country=None), Channel.API, DURING, consent=agreed(rules)))
    assert taken.eligible


def test_entries_brought_in_are_kept_with_their_reasons_as_before(session: Session) -> None:
    rules = rules_document()
    published = make_published(session, rules=rules)
    [child, unknown] = take_entries(session, signer=SIGNER, contest=published, arrivals=[
        Arrival(CHILD | {"submitted_at": DURING.isoformat(), "entry_id": "1"}, Channel.CSV,
                DURING + timedelta(hours=1)),
        Arrival(entrant(email="b@example.ru", phone=None, birth_date=None, country=None,
                        submitted_at=DURING.isoformat(), entry_id="2"), Channel.CSV,
                DURING + timedelta(hours=1))])
    assert isinstance(child, TakenEntry) and isinstance(unknown, TakenEntry)
    assert child.reasons == ("under_age",)
    assert unknown.reasons == ("age_unknown", "country_unknown")
    stored = session.exec(select(Entry.consent_sha256)).all()
    assert stored == [None, None]  # the importer answers for the consent of its file


def test_a_live_entry_needs_the_consent_with_its_other_errors_at_once(
        session: Session) -> None:
    refused = refusal(session, rules_document(), entrant(email="nope", phone=None),
                      consent=None)
    assert [(error.field, error.code) for error in refused.errors] == [
        ("email", "invalid_email"), ("personal_data_consent", "required")]
    refused = refusal(session, rules_document(), entrant(), consent="0" * 64, slug="another")
    assert [(error.field, error.code) for error in refused.errors] == [
        ("personal_data_consent", "consent_changed")]


def test_the_text_agreed_to_is_kept_once_with_the_entries_in_its_language(
        session: Session) -> None:
    rules = rules_document()
    published = make_published(session, rules=rules)
    russian = consent_for(rules, "ru")
    assert russian.version in consents(rules) and russian.text != consent_for(rules, "en").text
    assert "Snowfall Foods LLC" in russian.text and rules.sponsor.contact in russian.text
    outcomes = take_entries(session, signer=SIGNER, contest=published, arrivals=[
        Arrival(entrant(email=f"{name}@example.ru", phone=None), Channel.FORM, DURING,
                language="ru", consent=russian.version) for name in ("anna", "boris")])
    session.commit()
    assert all(isinstance(outcome, TakenEntry) for outcome in outcomes)
    assert session.exec(select(Entry.consent_sha256)).all() == [russian.version] * 2
    kept = session.exec(select(ConsentText)).one()
    assert (kept.sha256, kept.language, kept.text) == (russian.version, "ru", russian.text)
    assert BroughtIn.BEFORE not in outcomes


def test_a_sponsor_that_organises_its_own_contest_is_named_once_in_the_consent() -> None:
    rules = rules_document()
    own = replace(rules, organiser=rules.sponsor)
    for language in ("en", "ru", "uk"):
        text = consent_for(own, language).text
        assert text.count("Snowfall Foods LLC") == 1, language
        assert "Bright Promo Agency" not in text
    assert "Bright Promo Agency" in consent_for(rules, "en").text
