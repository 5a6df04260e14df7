"""The demo deployment: realistic contests, entrants, staff and relatives made with Faker.

Contests in every state (draft, scheduled, open, closed) in Russian and English; 5,000
entrants from the ru_RU, uk_UA and en_US locales (some entered twice, some under age, some
from outside the allowed countries, so eligibility has something to show); the sponsor's and
its agency's staff roster with declared relatives, a few of whom enter anyway (so the
auditor's review queue, scanned at build time, has flags to decide); and demo logins for each
role.
"""

import io
import json
import random
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from faker import Faker
from sqlmodel import Session, col, select

from contest.accounts import create_user
from contest.complaints.desk import answer, extend, file_complaint, recheck_winners
from contest.csvfile import CsvWriter
from contest.draw.service import freeze, make_draw, take_randomness
from contest.entries.consent import consent_for
from contest.entries.csv_import import import_entries_file
from contest.entries.intake import Arrival, take_entry
from contest.entries.submission import COLUMNS
from contest.errors import EntryRejected
from contest.fraud.review import Decision, decide, scan_contest
from contest.ledger.note import Signer
from contest.models import (
    Channel,
    Contest,
    DeclaredRelative,
    FraudFlag,
    StaffMember,
    User,
)
from contest.randomness.drand import QUICKNET
from contest.rules.document import (
    Announcement,
    ComplaintChannel,
    Eligibility,
    EntryLimits,
    EntryPeriod,
    Money,
    Party,
    Prize,
    RulesDocument,
    Section,
    SectionKind,
)
from contest.rules.publishing import create_contest, publish, save_draft
from contest.rules.versions import find_published

DATA = Path(__file__).parent / "data"
LOCALES = ("ru_RU", "uk_UA", "en_US")
COUNTRY_OF = {"ru_RU": "RU", "uk_UA": "UA", "en_US": "US"}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


LOGINS = (
    DemoLogin("marketer", "marketer@demo.contest", "marketer-demo-2026"),
    DemoLogin("auditor", "auditor@demo.contest", "auditor-demo-2026"),
    DemoLogin("admin", "admin@demo.contest", "admin-demo-2026"),
)
MARKER = LOGINS[2].email


def demo_exists(session: Session) -> bool:
    return session.exec(select(User).where(User.email == MARKER)).first() is not None


def describe_demo(base_url: str) -> str:
    lines = ["", f"Demo at {base_url}/", "",
             f"  public contests:   {base_url}/",
             f"  official rules:    {base_url}/contests/zimnii-rozygrysh/rules",
             f"  entry form:        {base_url}/contests/spring-giveaway/enter",
             f"  a verifiable draw: {base_url}/contests/back-to-school-2023/results",
             f"  staff sign-in:     {base_url}/login", "", "Demo logins:"]
    lines += [f"  {login.role:<9} {login.email:<24} password: {login.password}"
              for login in LOGINS]
    return "\n".join(lines)


def build_demo(session: Session, *, entrants: int, seed: int, now: datetime,
               signer: Signer) -> None:
    """Fill an empty database with the demo (committed in steps, so progress is kept)."""
    random.seed(seed)
    Faker.seed(seed)
    fakers = {locale: Faker(locale) for locale in LOCALES}
    people = _people(fakers, entrants, now)

    users = {login.role: create_user(session, email=login.email, password=login.password,
                                     name=f"Demo {login.role}", role=login.role,
                                     actor_id=None, now=now)
             for login in LOGINS}
    marketer = users["marketer"].id
    session.commit()

    day = timedelta(days=1)
    start = _finished_draw(session, people[: entrants // 10], fakers, marketer,
                           users["auditor"].id, signer)
    plans = [
        ("zimnii-rozygrysh", _russian_rules(now - 10 * day, now + 20 * day), 0.35),
        ("spring-giveaway", _english_rules(now - 5 * day, now + 25 * day), 0.30),
        ("autumn-raffle", _english_rules(now - 40 * day, now - 5 * day,
                                         title="Autumn raffle"), 0.25),
        ("novogodnii-priz", _russian_rules(now + 10 * day, now + 40 * day,
                                           title="Новогодний приз"), 0.0),
    ]
    for slug, rules, share in plans:
        opens = rules.period.opens_at
        contest = create_contest(session, slug=slug, language=rules.language, title=rules.title,
                                 actor_id=marketer, now=min(now, opens) - 3 * day,
                                 draft=rules.to_data())
        publish(session, contest=contest, actor_id=marketer, now=min(now, opens) - 2 * day,
                signer=signer)
        session.commit()
        count = int(entrants * share) if slug != "autumn-raffle" else entrants - start
        _enter(session, contest, people[start:start + count], now, signer)
        start += count
        _staff(session, contest, fakers)
        session.commit()
        if count:
            _insiders(session, contest, fakers, signer)
            scan_contest(session, contest=contest, now=now)
            session.commit()

    amended = session.exec(select(Contest).where(Contest.slug == "zimnii-rozygrysh")).one()
    found = find_published(session, amended)
    assert found is not None
    data = found.rules.to_data()
    data["prizes"][0]["quantity"] = 4
    data["winners"] = 5
    data["prizes"].append({"name": "Подарочная карта на 5 000 ₽", "quantity": 1,
                           "retail_value": {"amount": "5000.00", "currency": "RUB"},
                           "cash_alternative": None})
    save_draft(session, contest=amended, draft=data, actor_id=marketer, now=now - day)
    publish(session, contest=amended, actor_id=marketer, now=now - day, signer=signer,
            reason="more_prizes",
            note="Добавлен пятый приз: подарочная карта; число победителей увеличено до 5.")

    draft_rules = _english_rules(now + 30 * day, now + 60 * day, title="Summer giveaway")
    create_contest(session, slug="summer-giveaway", language="en", title=draft_rules.title,
                   actor_id=marketer, now=now, draft=draft_rules.to_data())
    session.commit()
    _complaints(session, fakers, users["auditor"].id, now, signer)


def _complaints(session: Session, fakers: dict[str, Faker], auditor: int | None,
                now: datetime, signer: Signer) -> None:
    """Complaints in every state: answered on time in public and late in private, moved
    with a reason, overdue, waiting, and one about a drawn winner, re-checked."""
    day = timedelta(days=1)
    plans = [
        ("autumn-raffle", "en_US", "not_included", 9 * day,
         "I entered twice from my phone and see no receipt.", "public", timedelta(hours=3)),
        ("autumn-raffle", "en_US", "ineligible_decision", 8 * day,
         "My entry says under age, but I am 19.", "private", 6 * day),
        ("autumn-raffle", "en_US", "prize_not_delivered", 4 * day,
         "My gift card has not arrived.", "extend", None),
        ("autumn-raffle", "en_US", "other", 6 * day, "Why was the draw moved?", "", None),
        ("zimnii-rozygrysh", "ru_RU", "not_included", 0.2 * day,
         "Отправила заявку, а квитанции нет.", "", None),
        ("back-to-school-2023", "en_US", "winner_staff_or_proxy", 2 * day,
         "The first winner works at the sponsor's shop.", "recheck", None),
    ]
    for slug, locale, kind, ago, text, outcome, answered_after in plans:
        contest = session.exec(select(Contest).where(Contest.slug == slug)).one()
        found = find_published(session, contest)
        assert found is not None
        received = now - ago
        complaint = file_complaint(session, contest=contest, rules=found.rules, data={
            "contact": fakers[locale].email(), "kind": kind, "text": text},
            language=locale[:2], now=received, signer=signer)
        if outcome in ("public", "private"):
            answer(session, contest=contest, complaint=complaint, public=outcome == "public",
                   text="Your entry is recorded with ticket ending …3f2a; it takes part."
                   if outcome == "public" else "Your birth date was typed as 2009; it is "
                   "corrected and the entry counts.", actor_id=auditor,
                   now=received + (answered_after or day), signer=signer)
        elif outcome == "extend":
            extend(session, contest=contest, complaint=complaint,
                   until=(complaint.due_at + 5 * day).date(),
                   timezone=found.rules.period.timezone,
                   reason="The courier service is checking the parcel's route.",
                   actor_id=auditor, now=received + timedelta(hours=1),
                   signer=signer)
        elif outcome == "recheck":
            recheck_winners(session, contest=contest, complaint=complaint, now=received)
        session.commit()


def _finished_draw(session: Session, people: list[dict[str, str]],
                   fakers: dict[str, Faker], marketer: int | None, auditor: int | None,
                   signer: Signer) -> int:
    """A 2023 contest drawn from a real, recorded drand round, so the demo can show a public,
    verifiable draw offline: entries collected, scanned and reviewed, then frozen, drawn.
    Returns how many of ``people`` it used."""
    recorded = json.loads((DATA / "drand-quicknet-1000000.json").read_text(encoding="utf-8"))
    due = QUICKNET.round_time(recorded["round"])
    closes = due - timedelta(minutes=2)
    rules = _english_rules(closes - timedelta(days=26), closes,
                           title="Back-to-school giveaway 2023")
    rules = replace(rules, period=replace(rules.period, draw_at=_in_zone(
        closes + timedelta(minutes=1), rules.period.timezone)))
    contest = create_contest(session, slug="back-to-school-2023", language="en",
                             title=rules.title, actor_id=marketer,
                             now=rules.period.opens_at - timedelta(days=3), draft=rules.to_data())
    publish(session, contest=contest, actor_id=marketer,
            now=rules.period.opens_at - timedelta(days=2), signer=signer)
    session.commit()
    _enter(session, contest, people, closes + timedelta(seconds=10), signer)
    _staff(session, contest, fakers)
    session.commit()
    scan_contest(session, contest=contest, now=closes + timedelta(seconds=20), actor_id=auditor)
    flags = [flag.id for flag in session.exec(select(FraudFlag).where(
        FraudFlag.contest_id == contest.id)) if flag.id is not None]
    if flags:
        decide(session, contest=contest, flag_ids=flags, decision=Decision.CONFIRM, reason="",
               actor_id=auditor, now=closes + timedelta(seconds=30), signer=signer)
    session.commit()
    # One minute before the freeze's round is due: nobody could know its value yet.
    freeze(session, contest=contest, now=due - timedelta(seconds=61), signer=signer,
           actor_id=marketer)
    take_randomness(session, contest=contest, now=due + timedelta(seconds=20), signer=signer,
                    proof={key: recorded[key] for key in ("chain_hash", "round", "signature")})
    make_draw(session, contest=contest, now=due + timedelta(seconds=30), signer=signer,
              actor_id=marketer)
    session.commit()
    return len(people)


def _people(fakers: dict[str, Faker], count: int, now: datetime) -> list[dict[str, str]]:
    people: list[dict[str, str]] = []
    for index in range(count):
        locale = LOCALES[index % 3]
        fake = fakers[locale]
        adult = random.random() > 0.03
        born = fake.date_of_birth(minimum_age=18 if adult else 12, maximum_age=80 if adult else 17)
        person = {
            "full_name": fake.name(),
            "email": fake.free_email() if random.random() > 0.15 else "",
            "phone": _phone(locale) if random.random() > 0.3 else "",
            "birth_date": born.isoformat(),
            "address": fake.street_address(),
            "city": fake.city(),
            "postal_code": fake.postcode(),
            "country": COUNTRY_OF[locale],
            "ip": fake.ipv4_public(),
            "device_id": fake.uuid4(),
            "social_handle": "@" + fake.user_name() if random.random() > 0.5 else "",
        }
        if not person["email"] and not person["phone"]:
            person["email"] = fake.free_email()
        people.append(person)
    return people


def _phone(locale: str) -> str:
    digits = "".join(random.choice("0123456789") for _ in range(7))
    if locale == "ru_RU":
        return f"+7 9{random.randint(10, 99)} {digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if locale == "uk_UA":
        return f"+380 6{random.choice('3678')} {digits[:3]} {digits[3:5]} {digits[5:]}"
    return f"+1 ({random.choice(['212', '415', '617', '312'])}) 555-{digits[:4]}"


def _enter(session: Session, contest: Contest, people: list[dict[str, str]],
           now: datetime, signer: Signer) -> None:
    """Most entries come as a CSV from a social network; a few through the web form."""
    found = find_published(session, contest)
    assert found is not None
    rules = found.rules
    opens, closes = rules.period.opens_at, min(rules.period.closes_at, now)
    if not people or closes <= opens:
        return
    span = (closes - opens).total_seconds()
    moments = sorted(opens + timedelta(seconds=random.uniform(0, span - 1)) for _ in people)
    by_form = people[: max(len(people) // 50, 1)]
    by_csv = people[len(by_form):]
    repeats = random.sample(by_csv, k=min(len(by_csv) // 40, len(by_csv)))
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(COLUMNS)
    rows = [(person, moment) for person, moment in zip(by_csv, moments[len(by_form):],
                                                         strict=True)]
    rows += [(person, moments[-1] - timedelta(minutes=random.randint(1, 600)))
             for person in repeats]
    for number, (person, moment) in enumerate(rows, start=1):
        row = person | {"entry_id": f"{contest.slug}-{number:06d}",
                        "submitted_at": moment.isoformat()}
        writer.writerow(row.get(column, "") for column in COLUMNS)
    import_entries_file(session, contest=found, stream=io.BytesIO(out.getvalue().encode()),
                        now=now, signer=signer, role="marketer")
    consent = consent_for(rules, rules.language).version
    for person, moment in zip(by_form, moments, strict=False):
        try:
            take_entry(session, contest=found, arrival=Arrival(
                person, Channel.FORM, moment, language=rules.language, consent=consent),
                signer=signer)
        except EntryRejected:  # the rules exclude them: the form keeps nothing of them
            continue


def _staff(session: Session, contest: Contest, fakers: dict[str, Faker]) -> None:
    """The sponsor's and the agency's staff, with a few declared relatives each."""
    assert contest.id is not None
    locale = "ru_RU" if contest.language == "ru" else "en_US"
    fake = fakers[locale]
    for number in range(1, 41):
        company = "sponsor" if number <= 30 else "agency"
        staff_id = f"S{number:04d}"
        surname_first = locale == "ru_RU"
        work_domain = "snezhinka.example" if surname_first else "snowfall.example"
        name = fake.name()
        session.add(StaffMember(
            contest_id=contest.id, staff_id=staff_id,
            full_name=" ".join(reversed(name.split())) if surname_first else name,
            email=f"{fake.user_name()}@{work_domain};{fake.free_email()}",
            phone=_phone(locale), birth_date=fake.date_of_birth(minimum_age=22, maximum_age=64),
            address=fake.street_address(), city=fake.city(), postal_code=fake.postcode(),
            country=COUNTRY_OF[locale], department=random.choice(
                ["Marketing", "Sales", "IT", "Finance", "Logistics"]),
            company=company,
        ))
        if number % 3 == 0:
            session.add(DeclaredRelative(
                contest_id=contest.id, staff_id=staff_id, full_name=fake.name(),
                relation=random.choice(["spouse", "child", "parent", "sibling"]),
                email=fake.free_email() if random.random() > 0.4 else "",
                phone=_phone(locale) if random.random() > 0.5 else "",
                address=fake.street_address(), city=fake.city(), postal_code=fake.postcode(),
                country=COUNTRY_OF[locale],
            ))


def _insiders(session: Session, contest: Contest, fakers: dict[str, Faker],
              signer: Signer) -> None:
    """Staff who try their luck anyway, for the auditor's review queue: one enters under
    their own name with a personal address, one through a front person on their mobile, and
    one's declared relative enters with the phone the staff member gave for them."""
    found = find_published(session, contest)
    assert found is not None
    rules = found.rules
    fake = fakers["ru_RU" if contest.language == "ru" else "en_US"]
    roster = session.exec(select(StaffMember).where(StaffMember.contest_id == contest.id)
                          .order_by(col(StaffMember.staff_id))).all()
    relative = session.exec(select(DeclaredRelative).where(
        DeclaredRelative.contest_id == contest.id, DeclaredRelative.phone != "")
        .order_by(col(DeclaredRelative.id))).first()
    moment = rules.period.opens_at + timedelta(hours=30)
    employee, boss = roster[0], roster[1]
    tries = [
        {"full_name": employee.full_name, "email": employee.email.split(";")[-1],
         "birth_date": str(employee.birth_date), "country": employee.country},
        {"full_name": fake.name(), "email": fake.free_email(), "phone": boss.phone,
         "birth_date": str(fake.date_of_birth(minimum_age=20, maximum_age=60)),
         "country": boss.country},
    ]
    if relative is not None:
        tries.append({"full_name": relative.full_name, "phone": relative.phone,
                      "birth_date": str(fake.date_of_birth(minimum_age=20, maximum_age=60)),
                      "country": relative.country})
    for number, data in enumerate(tries):
        take_entry(session, contest=found, arrival=Arrival(
            data, Channel.FORM, moment + timedelta(minutes=number), language=rules.language,
            consent=consent_for(rules, rules.language).version), signer=signer)


def _russian_rules(opens: datetime, closes: datetime,
                   title: str = "Зимний розыгрыш") -> RulesDocument:
    zone = "Europe/Moscow"
    return RulesDocument(
        language="ru", title=title,
        sponsor=Party("ООО «Снежинка»", "г. Москва, ул. Тверская, д. 1", "+7 495 555-01-00"),
        organiser=Party("ООО «Промо-Агентство Луч»", "г. Москва, Цветной бульвар, д. 2",
                        "+7 495 555-01-01"),
        agencies=(Party("ООО «Промо-Агентство Луч»"),),
        period=EntryPeriod(zone, _in_zone(opens, zone), _in_zone(closes, zone),
                           _in_zone(closes + timedelta(days=2), zone)),
        eligibility=Eligibility(min_age=18, legal_min_age=18, countries=("RU",)),
        limits=EntryLimits(per_person=1, per_household=2),
        prizes=(Prize("Беспроводные наушники", 3, Money(Decimal("9990.00"), "RUB"),
                      Money(Decimal("9000.00"), "RUB")),),
        winners=3, alternates=3,
        announcement=Announcement("электронной почте или SMS", 3, claim_days=14),
        complaints=ComplaintChannel("форма обращения на странице розыгрыша", 1),
        sections=(
            Section(SectionKind.NO_PURCHASE, "Покупка не требуется",
                    "Участие бесплатное; покупка не увеличивает шансы на победу."),
            Section(SectionKind.PRIVACY, "Персональные данные",
                    "Данные участников используются только для проведения розыгрыша и "
                    "удаляются через 90 дней после его окончания. Публикуются только имя, "
                    "инициал фамилии и регион победителя."),
            Section(SectionKind.TAXES, "Налоги",
                    "Организатор исполняет обязанности налогового агента, если стоимость "
                    "приза превышает 4 000 ₽."),
        ),
    )


def _english_rules(opens: datetime, closes: datetime,
                   title: str = "Spring giveaway") -> RulesDocument:
    zone = "America/New_York"
    return RulesDocument(
        language="en", title=title,
        sponsor=Party("Snowfall Foods Inc.", "1 Main Street, Springfield, IL",
                      "+1 217 555 0100"),
        organiser=Party("Bright Promo LLC", "2 Side Street, Springfield, IL",
                        "+1 217 555 0101"),
        agencies=(Party("Bright Promo LLC"),),
        period=EntryPeriod(zone, _in_zone(opens, zone), _in_zone(closes, zone),
                           _in_zone(closes + timedelta(days=2), zone)),
        eligibility=Eligibility(min_age=18, legal_min_age=18, countries=("US", "UA", "RU")),
        limits=EntryLimits(per_person=1, per_day=1),
        prizes=(Prize("$100 gift card", 5, Money(Decimal("100.00"), "USD"),
                      Money(Decimal("100.00"), "USD")),),
        winners=5, alternates=5,
        announcement=Announcement("e-mail", 5, publish_on=(closes + timedelta(days=7)).date()
                                  if isinstance(closes, datetime) else date.today()),
        complaints=ComplaintChannel("the complaint form on the giveaway's page", 1),
        sections=(
            Section(SectionKind.NO_PURCHASE, "No purchase necessary",
                    "No purchase is necessary to enter or win. A purchase does not improve "
                    "the chances of winning."),
            Section(SectionKind.PRIVACY, "Privacy",
                    "Entrants' data is used only to run this giveaway and is deleted 90 days "
                    "after it ends. Winners are published as first name, initial and region."),
            Section(SectionKind.TAXES, "Taxes", "Winners are responsible for any taxes."),
        ),
    )


def _in_zone(moment: datetime, zone: str) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).replace(microsecond=0)
