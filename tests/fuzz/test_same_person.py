"""The entry limits and the participant graph read one person alike (property-based tests,
Hypothesis): for any e-mail address, phone or home an entrant can send, the key the intake
stores for the limits is the key the graph joins entrants by, and the spellings of one
mailbox meet in both.
"""

from hypothesis import given
from hypothesis import strategies as st

from contest.entries.submission import Submission, parse_submission
from contest.errors import EntryRejected
from contest.fraud.graph import Profile, profile, profiles
from contest.fraud.people import Person, PersonKind
from contest.identity import is_email_address, phone_key

LOGIN = st.text(alphabet="abcXYZ019._-+", min_size=1, max_size=12)
DOMAINS = ["gmail.com", "googlemail.com", "yandex.ru", "ya.ru", "yandex.com.tr", "narod.ru",
           "proton.me", "pm.me", "icloud.com", "me.com", "outlook.com", "hotmail.co.uk",
           "fastmail.fm", "mail.ru", "ukr.net", "example.com", "почта.рф", "x.y", "-x.ru"]
ADDRESSES = st.one_of(
    st.builds("{}@{}".format, LOGIN, st.sampled_from(DOMAINS)),
    st.text(alphabet="ab.+@<>:; -xрф", max_size=16),
    st.text(max_size=24),
)


def entered(**fields: str) -> Submission | None:
    """What the intake makes of ``fields``, or None when it refuses them."""
    try:
        return parse_submission({"full_name": "Anna Petrova", **fields})
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
        assert read is None
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
