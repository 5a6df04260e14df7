"""The entry limits and the participant graph read one person alike (property-based tests,
Hypothesis): for any e-mail address, phone or home an entrant can send, the key the intake
stores for the limits is the key the graph joins entrants by, and the spellings of one
mailbox meet in both; for any entries, the receipts' verdicts and the scan's duplicates
agree (contest.identity.ties).
"""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from contest.entries.eligibility import LimitFacts, limit_verdicts
from contest.entries.submission import Submission, parse_submission
from contest.errors import EntryRejected
from contest.fraud.graph import Profile, profile, profiles
from contest.fraud.people import Person, PersonKind
from contest.fraud.scan import scan
from contest.identity import (
    is_email_address,
    limits_count,
    one_person,
    person_keys,
    phone_key,
    written_phone_key,
)
from tests.builders import rules_document

LOGIN = st.text(alphabet="abcXYZ019._-+", min_size=1, max_size=12)
DOMAINS = ["gmail.com", "googlemail.com", "yandex.ru", "ya.ru", "yandex.com.tr", "narod.ru",
           "proton.me", "pm.me", "icloud.com", "me.com", "outlook.com", "hotmail.co.uk",
           "fastmail.fm", "mail.ru", "ukr.net", "example.com", "почта.рф", "x.y", "-x.ru"]
ADDRESSES = st.one_of(
    st.builds("{}@{}".format, LOGIN, st.sampled_from(DOMAINS)),
    st.text(alphabet="ab.+@<>:; -xрф", max_size=16),
    st.text(max_size=24),
)


def entered(*, lenient: bool = False, **fields: str) -> Submission | None:
    """What the intake makes of ``fields``, or None when it refuses them; ``lenient``: of an
    entry brought in from a file."""
    try:
        return parse_submission({"full_name": "Anna Petrova", **fields}, lenient=lenient)
    except EntryRejected:
        return None


def stored(submission: Submission, key: str = "1") -> Person:
    """The entrant as the scan of a contest reads the stored entry (fraud.review)."""
    return Person(PersonKind.ENTRANT, key, submission.full_name,
                  emails=(submission.email,) if submission.email else (),
                  phones=(submission.phone,) if submission.phone else (),
                  address=submission.address or "", city=submission.city or "",
                  postal_code=submission.postal_code or "", country=submission.country or "")


def keys(item: Profile) -> dict[str, str]:
    return dict(item.attributes)


@given(ADDRESSES)
def test_the_limits_and_the_graph_key_any_address_alike(email: str) -> None:
    submission = entered(email=email)
    if submission is None:
        assert not is_email_address(email.strip())
        return
    assert submission.email_key is not None
    assert keys(profile(stored(submission))).get("email") == submission.email_key


@st.composite
def one_mailbox(draw: st.DrawFn) -> tuple[str, str]:
    """Two spellings of one mailbox, under its provider's own rules."""
    login = draw(st.text(alphabet="abcdxyz0189", min_size=1, max_size=10))

    def dotted(word: str) -> str:
        return "".join(draw(st.sampled_from(["", ".", ".."])) + c for c in word) + draw(
            st.sampled_from(["", "."]))

    def tagged(word: str) -> str:
        return word + draw(st.sampled_from(["", "+", "+promo", "+x.y"]))

    def cased(text: str) -> str:
        return "".join(c.upper() if draw(st.booleans()) else c for c in text)

    provider = draw(st.sampled_from(["gmail", "yandex", "icloud", "outlook", "other"]))
    if provider == "gmail":
        spell = [tagged(dotted(login)) + "@" + draw(st.sampled_from(
            ["gmail.com", "googlemail.com"])) for _ in range(2)]
    elif provider == "yandex":
        parts = [login[: len(login) // 2] or "a", login[len(login) // 2:] or "b"]
        spell = [tagged(draw(st.sampled_from([".", "-"])).join(parts)) + "@" + draw(
            st.sampled_from(["yandex.ru", "ya.ru", "yandex.by", "narod.ru"])) for _ in range(2)]
    elif provider == "icloud":
        spell = [tagged(login) + "@" + draw(st.sampled_from(["icloud.com", "me.com", "mac.com"]))
                 for _ in range(2)]
    elif provider == "outlook":
        spell = [tagged(login) + "@outlook.com" for _ in range(2)]
    else:
        spell = [login + "@mail.ru" for _ in range(2)]
    return cased(spell[0]), cased(spell[1])


@given(one_mailbox())
def test_the_spellings_of_one_mailbox_are_one_person_at_intake_and_in_the_scan(
        spellings: tuple[str, str]) -> None:
    first, second = (entered(email=email) for email in spellings)
    assert first is not None and second is not None, spellings
    assert first.email_key == second.email_key is not None
    # The scan normalises only the values a cheap rough key says may be shared: the two
    # spellings must both get there, and meet.
    a, b = profiles([stored(first, "1"), stored(second, "2")])
    assert keys(a)["email"] == keys(b)["email"] == first.email_key


PHONES = st.builds("{}{}{}".format, st.sampled_from(["", "+", "8", "+7", "+380", "0", "1"]),
                   st.text(alphabet="0123456789", min_size=6, max_size=12),
                   st.sampled_from(["", " доб. 12"]))


@given(PHONES, st.sampled_from(["RU", "UA", "US", "GB"]))
def test_the_limits_and_the_graph_read_any_phone_alike(phone: str, country: str) -> None:
    submission = entered(phone=phone, country=country)
    raw = Person(PersonKind.ENTRANT, "1", "Anna Petrova", phones=(phone,), country=country)
    read = keys(profile(raw)).get("phone")
    if submission is None:
        # No plan reads it: the form refuses it, a file's entry keeps it as written, and
        # the graph and the limits key it alike, as written (or not at all).
        assert read == written_phone_key(phone)
        brought = entered(phone=phone, country=country, lenient=True)
        assert brought is not None and brought.phone == phone.strip()
        assert keys(profile(stored(brought))).get("phone") == read
        assert person_keys(None, brought.phone) == ([f"phone:{read}"] if read else [])
        return
    assert submission.phone is not None
    # The scan of the stored entry reads the same number as the scan of the raw one, and the
    # limits count it as a person's exactly when the scan does.
    assert keys(profile(stored(submission))).get("phone") == read
    assert phone_key(submission.phone, None) == read


HOMES = st.builds(
    "{}{} {}{}{}".format,
    st.sampled_from(["", "ул. ", "улица ", "вул. ", "St ", "г. Москва, ул. "]),
    st.sampled_from(["Ленина", "Lenina", "Main", "Шевченка", "8 Марта"]),
    st.sampled_from(["", "д. ", "дом ", "#"]), st.integers(1, 120).map(str),
    st.sampled_from(["", "-12", ", кв. 12", " apt 4B", " к2 кв 7"]))


@given(HOMES, st.sampled_from(["Москва", "Moscow", "Київ", ""]),
       st.sampled_from(["101000", "", "01001"]), st.sampled_from(["RU", "UA", "US"]))
def test_the_limits_and_the_graph_key_any_home_alike(address: str, city: str, postal: str,
                                                      country: str) -> None:
    submission = entered(email="anna@example.ru", address=address, city=city,
                         postal_code=postal, country=country)
    assert submission is not None
    assert keys(profile(stored(submission))).get("household") == submission.household_key


NAMES = ["Anna Smith", "Anna Smyth", "Boris Orlov"]
MAILBOXES = ["a@gmail.com", "A.+x@googlemail.com", "b@mail.ru", "c@example.com", ""]
NUMBERS = ["+7 916 123-45-67", "8 916 123 45 67", "+7 916 000-00-00", "+380 67 123 4567", ""]
ENTRANTS = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(["1990-04-12",
                                                                       "1985-01-02"]),
                              st.sampled_from(MAILBOXES), st.sampled_from(NUMBERS),
                              st.sampled_from(["dev-1", "dev-2", ""]))
                    .filter(lambda entrant: bool(entrant[2] or entrant[3])),   # a contact
                    min_size=2, max_size=8)


@settings(max_examples=150, deadline=None)
@given(ENTRANTS, st.integers(1, 3))
def test_the_receipts_and_the_scan_call_the_same_entries_one_person(
        entrants: list[tuple[str, str, str, str, str]], per_person: int) -> None:
    # Whatever names, contacts and devices the entries carry: every entry the limits put over
    # the per-person limit is a duplicate in the scan, and a duplicate the limits let in
    # rests on a signal they never count (a device, or name, birth date and address alike).
    at = datetime(2026, 12, 1, 10, tzinfo=UTC)
    rows, people = [], []
    for number, (name, born, email, phone, device) in enumerate(entrants):
        submission = entered(full_name=name, birth_date=born, email=email, phone=phone,
                             device_id=device, country="RU")
        assert submission is not None
        moment = at + timedelta(minutes=number)
        rows.append(LimitFacts(number, submission.email_key, submission.phone,
                               submission.household_key, moment, ()))
        people.append(Person(PersonKind.ENTRANT, str(number), name, order=number,
                             emails=(email,) if email else (), phones=(phone,) if phone else (),
                             birth_date=submission.birth_date, device_id=device,
                             country="RU", submitted_at=moment))
    verdicts = limit_verdicts(rules_document(per_person=per_person), rows)
    over = {str(number) for number, reasons in verdicts.items() if "person_limit" in reasons}
    duplicates = {flag.entry_id: flag for flag in scan(people, per_person=per_person).flags
                  if flag.kind == "duplicate"}
    person = one_person((str(row.id), person_keys(row.email_key, row.phone)) for row in rows)
    assert over <= set(duplicates)
    for entry_id, flag in duplicates.items():
        # A duplicate the limits counted points to its person's first entry, through mailboxes
        # and phones alone; any other rests on a signal.
        assert limits_count(edge["label"] for edge in flag.evidence) == (entry_id in over), flag
        if entry_id in over:
            assert person[flag.related_to] == person[entry_id], flag
