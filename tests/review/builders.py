"""An open contest with a staff roster, a proxy, an employee, a namesake and clean entrants."""

from datetime import timedelta

from sqlmodel import Session

from contest.fraud.roster import import_roster
from contest.models import Channel, Contest
from contest.rules.versions import PublishedContest
from tests.builders import OPENS, make_contest, make_entry, rules_document

STAFF_CSV = "\n".join([
    "staff_id,full_name,email,phone,birth_date,address,city,postal_code,country,department,"
    "company",
    'S1,Иванов Иван Иванович,i.ivanov@snowfall.ru; ivan.ivanov@gmail.com,+7 916 123-45-67,'
    '1980-05-01,"ул. Ленина, д. 5, кв. 12",Москва,101000,RU,Sales,Snowfall',
    "S2,John Smith,john.smith@snowfall.com,(212) 555-0100,1975-03-03,12 Main St Apt 4B,"
    "Springfield,62701,US,IT,Snowfall", ""]).encode()
RELATIVES_CSV = b"""staff_id,full_name,relation,email,phone,address,city,postal_code,country
S2,Mary Smith,spouse,mary.smith@outlook.com,,,,,
"""

ENTRANTS = {
    # Ivan himself, transliterated and name first.
    "employee": {"full_name": "Ivan Ivanov", "email": "ivan.ivanov+promo@googlemail.com",
                 "birth_date": "1980-05-01", "country": "RU"},
    # Another name on Ivan's mobile: a front person.
    "proxy": {"full_name": "Olga Sidorova", "phone": "8 (916) 123-45-67",
              "birth_date": "1991-07-07", "country": "RU", "email": "olga.s@mail.ru"},
    # John Smith's namesake: other birth date, other contacts.
    "namesake": {"full_name": "John Smith", "email": "jsmith1990@example.com",
                 "birth_date": "1990-09-09", "country": "US", "city": "Denver"},
    "clean": {"full_name": "Anna Kowalski", "email": "anna.k@example.com",
              "birth_date": "1985-01-01", "country": "US"},
}


def contest_with_roster(session: Session, slug: str = "winter-giveaway") -> tuple[
        Contest, dict[str, str]]:
    """The contest and each planted entrant's ticket by role."""
    rules = rules_document()
    contest, version = make_contest(session, slug=slug, rules=rules)
    assert version is not None
    tickets = {}
    for number, (role, data) in enumerate(ENTRANTS.items()):
        entry = make_entry(session, PublishedContest(contest, version, rules), data=data,
                           channel=Channel.API, idempotency_key=None,
                           now=OPENS + timedelta(hours=number + 1))
        tickets[role] = entry.ticket
    import_roster(session, contest=contest, staff=STAFF_CSV, relatives=RELATIVES_CSV,
                  now=OPENS)
    session.commit()
    return contest, tickets
