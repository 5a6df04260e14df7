"""The ``bot`` detector (contest/fraud/bots.py): each signal flags its planted farm with its
evidence when a second signal joins it; an honest crowd's burst, a dormitory behind one
address, a family's tablet and a mailbox series alone flag no one."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

from click.testing import CliRunner

from contest.cli import main
from contest.fraud.bots import account_state, entry_signals, network, together_gap
from contest.fraud.people import Person, PersonKind, in_submission_order
from contest.fraud.picture import evidence_lines, evidence_svg
from contest.fraud.scan import ScanResult, scan
from contest.identity import is_disposable
from contest.identity.accounts import AccountProfile
from contest.rules.document import Defences, DisposableEmail
from tests.builders import rules_document

NOON = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
BROWSERS = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 YaBrowser/24.12.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
)
FIRST = ["Иван", "Пётр", "Анна", "Мария", "Олег", "Ольга", "Денис", "Юлия", "Артём", "Нина"]
SYLLABLES = ["ба", "ве", "го", "ду", "ки", "ло", "ма", "ни", "ро", "су", "та", "фе", "хо", "це",
             "ша", "ю", "зо", "пы"]


class Crowd:
    """Entrants built one by one: a background of ordinary traffic, then what a test adds."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = Random(seed)
        self.browsers = Random(seed + 1)  # apart: what the other tests draw stays the same
        self.people: list[Person] = []

    def add(self, moment: datetime, *, key: str | None = None, name: str = "",
            email: str = "", ip: str = "", device: str = "",
            born: date | None = None, agent: str = "") -> str:
        number = len(self.people) + 1
        rng = self.rng
        key = key or f"e{number}"
        self.people.append(Person(
            PersonKind.ENTRANT, key,
            name or f"{rng.choice(FIRST)} {self.surname()}",
            emails=(email or f"person.{number}.{rng.getrandbits(32):x}@mail.ru",),
            birth_date=born or date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000)),
            ip=ip or self.anywhere(), device_id=device or f"dev-{number}-{rng.getrandbits(40)}",
            user_agent=agent or self.browser(), submitted_at=moment))
        return key

    def browser(self) -> str:
        """A phone's or a computer's browser, as common as it is in Russia: Chrome on Android
        sends one reduced string for every phone of a version."""
        return self.browsers.choices(BROWSERS, weights=(45, 20, 15, 10, 10))[0]

    def vk(self, moment: datetime, user: int, profile: AccountProfile, *,
           key: str | None = None) -> str:
        """An entrant read from VK: an account and a name, nothing else."""
        key = key or f"e{len(self.people) + 1}"
        self.people.append(Person(
            PersonKind.ENTRANT, key, f"{self.rng.choice(FIRST)} {self.surname()}",
            accounts=(f"vk:{user}",), submitted_at=moment, profile=profile))
        return key

    def vk_crowd(self, count: int) -> list[str]:
        """Real people who reposted, over two days, ids across VK's range; a quarter with no
        photo, some with almost no followers, some closed, a few deleted."""
        rng = self.rng
        keys = []
        for _ in range(count):
            moment = NOON - timedelta(days=1) + timedelta(seconds=rng.randint(0, 172800))
            if rng.random() < 0.02:
                profile = AccountProfile(deactivated="deleted")
            else:
                profile = AccountProfile(closed=rng.random() < 0.3,
                                         has_photo=rng.random() < 0.75,
                                         followers=rng.choice((0, 1, 2, 5, 40, 300)))
            keys.append(self.vk(moment, rng.randint(1, 900_000_000), profile))
        return keys

    def surname(self) -> str:
        """A made-up surname of four syllables: two of them are seldom alike."""
        return "".join(self.rng.choice(SYLLABLES) for _ in range(4)).capitalize() + "ов"

    def anywhere(self) -> str:
        rng = self.rng
        return f"{rng.randint(2, 220)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}." \
               f"{rng.randint(1, 254)}"

    def background(self, count: int = 400) -> None:
        """Ordinary traffic over two days around :data:`NOON`."""
        for _ in range(count):
            self.add(NOON - timedelta(days=1) + timedelta(seconds=self.rng.randint(0, 172800)))

    def scan(self, *, disposable: bool = True) -> ScanResult:
        return scan(in_submission_order(self.people),
                    disposable=is_disposable if disposable else None)


def bot_flags(result: ScanResult) -> dict[str, list[str]]:
    """Flagged entry → the labels of its evidence."""
    return {flag.entry_id: [edge["label"] for edge in flag.evidence]
            for flag in result.flags if flag.kind == "bot"}


def minutes(start: datetime, count: int, span: int) -> list[datetime]:
    return [start + timedelta(seconds=span * 60 * i / count) for i in range(count)]


def test_a_burst_from_one_device_is_flagged_with_the_burst_and_the_device() -> None:
    crowd = Crowd()
    crowd.background()
    farm = [crowd.add(moment, key=f"bot{i}", ip="185.220.1.7", device="emulator-1")
            for i, moment in enumerate(minutes(NOON, 30, 5))]
    flagged = bot_flags(crowd.scan())
    assert set(flagged) == set(farm)
    assert set(flagged["bot5"]) == {"burst", "shared_device"}
    flag = next(f for f in crowd.scan().flags if f.entry_id == "bot5")
    assert flag.related_to == "bot0" and flag.score >= 0.6
    assert {"from": "entry:bot5", "to": "device:emulator-1", "label": "shared_device",
            "count": "30"} in flag.evidence


def test_a_burst_of_numbered_mailboxes_from_one_network_is_flagged() -> None:
    crowd = Crowd()
    crowd.background()
    farm = [crowd.add(moment, key=f"bot{i}", email=f"ivan.petrov{i + 1}@mail.ru",
                      ip=f"45.12.7.{10 + i}")
            for i, moment in enumerate(minutes(NOON, 20, 8))]
    found = bot_flags(crowd.scan())
    assert set(found) == set(farm)
    assert set(found["bot0"]) == {"burst", "template"}
    flag = next(f for f in crowd.scan().flags if f.entry_id == "bot3")
    targets = {edge["to"] for edge in flag.evidence}
    assert targets == {"network:45.12.7.0/24", "series:ivan.petrov#@mail.ru"}


def test_a_slow_drip_of_numbered_throwaway_mailboxes_is_flagged_without_any_burst() -> None:
    crowd = Crowd()
    crowd.background()
    domains = ("mailinator.com", "yopmail.com", "guerrillamail.com")
    farm = [crowd.add(NOON - timedelta(days=1) + timedelta(hours=7 * i), key=f"bot{i}",
                      email=f"prize.hunter{200 + i}@{domains[i % 3]}")
            for i in range(7)]
    result = crowd.scan()
    assert set(bot_flags(result)) == set(farm)
    assert set(bot_flags(result)["bot2"]) == {"template", "disposable"}
    # when the rules allow throwaway mailboxes, a series across their domains is no series
    assert bot_flags(crowd.scan(disposable=False)) == {}


def test_a_slow_drip_from_one_device_under_one_birth_date_is_flagged() -> None:
    crowd = Crowd()
    crowd.background()
    farm = [crowd.add(NOON - timedelta(days=1) + timedelta(hours=9 * i), key=f"bot{i}",
                      device="farm-phone", born=date(1991, 5, 17))
            for i in range(5)]
    result = crowd.scan()
    found = bot_flags(result)
    assert set(found) <= set(farm) and len(found) >= 4
    assert set(found["bot4"]) == {"shared_device", "repeated_birth_date"}
    # one device and one birth date may make two of them one person to the duplicate
    # detector, which runs first: an entry gets one flag
    kinds = {flag.entry_id: flag.kind for flag in result.flags}
    assert {kinds.get(key) for key in farm} <= {"bot", "duplicate"}
    assert set(kinds) == set(farm)


def test_numbered_names_at_throwaway_domains_are_flagged() -> None:
    crowd = Crowd()
    crowd.background()
    farm = [crowd.add(NOON + timedelta(hours=i), key=f"bot{i}", name=f"User {4711 + 13 * i}",
                      email=f"u{i}x@yopmail.com") for i in range(3)]
    found = bot_flags(crowd.scan())
    assert set(found) == set(farm)
    assert set(found["bot1"]) == {"template", "disposable"}


def test_a_tv_mention_brings_thousands_behind_few_carrier_addresses_and_flags_no_one() -> None:
    """2,000 people in ten minutes, most behind ten carrier NAT addresses of one network:
    the network is a burst (most of the contest's entries then), and flags no one; each
    address carries a small share of the crowd, so it is no burst, and the most common
    phone's browser carries its usual share, so it is none either."""
    crowd = Crowd()
    crowd.background()
    carriers = [f"100.64.0.{n}" for n in range(1, 11)]
    for moment in minutes(NOON, 2000, 10):
        crowd.add(moment, ip=crowd.rng.choice(carriers) if crowd.rng.random() < 0.7 else "")
    result = crowd.scan()
    assert bot_flags(result) == {}
    signals = entry_signals(in_submission_order(crowd.people), is_disposable)
    bursts = {s.node for found in signals.values() for s in found if s.kind == "burst"}
    assert bursts == {"network:100.64.0.0/24"}


def test_a_script_behind_many_addresses_bursts_under_its_one_user_agent() -> None:
    """A script rotating proxies and device ids still names one program: its entries are a
    burst of that user agent, and with its numbered mailboxes they are flagged."""
    crowd = Crowd()
    crowd.background()
    farm = [crowd.add(moment, key=f"bot{i}", email=f"prize.hunter{31 + i}@mail.ru",
                      agent="python-requests/2.32.3")
            for i, moment in enumerate(minutes(NOON, 12, 8))]
    flag = next(f for f in crowd.scan().flags if f.entry_id == "bot5")
    assert set(bot_flags(crowd.scan())) == set(farm)
    assert {edge["to"] for edge in flag.evidence} == {
        "agent:python-requests/2.32.3", "series:prize.hunter#@mail.ru"}


def test_a_tv_crowd_on_one_phone_browser_makes_no_burst_of_it() -> None:
    """Chrome on Android names every phone of a version alike: after a TV mention that one
    user agent is nearly half the contest's entries, as it is all along, so it is no burst;
    three of the crowd who put a year in their mailboxes (frol_2024@, frol_2025@, …) are no
    series either, and no one is flagged."""
    crowd = Crowd()
    crowd.background()
    for moment in minutes(NOON, 2000, 10):
        crowd.add(moment)
    for year, moment in zip((2024, 2025, 2026), minutes(NOON, 3, 10), strict=True):
        crowd.add(moment, email=f"frol_{year}@bk.ru", agent=BROWSERS[0])
    assert bot_flags(crowd.scan()) == {}
    signals = entry_signals(in_submission_order(crowd.people), is_disposable)
    assert {s.node for found in signals.values() for s in found} == set()


def test_a_dormitory_behind_one_address_bursting_after_a_poster_is_not_flagged() -> None:
    """300 students behind one address, 60 of them within a quarter of an hour, born within
    four years (several share a birthday by chance): a burst, and no second signal."""
    crowd = Crowd()
    crowd.background()
    students = []
    for i in range(300):
        moment = (NOON + timedelta(seconds=15 * i) if i < 60
                  else NOON - timedelta(days=1) + timedelta(seconds=crowd.rng.randint(0, 172800)))
        students.append(crowd.add(moment, key=f"s{i}", ip="95.12.40.8",
                                  born=date(2004, 9, 1)
                                  + timedelta(days=crowd.rng.randint(0, 4 * 365))))
    people = in_submission_order(crowd.people)
    signals = entry_signals(people, is_disposable)
    place = {person.key: i for i, person in enumerate(people)}
    assert any(s.kind == "burst" for s in signals[place["s0"]])   # the burst is seen …
    assert bot_flags(crowd.scan()) == {}                          # … and flags no one


def test_a_family_tablet_and_a_mailbox_series_alone_flag_no_one() -> None:
    crowd = Crowd()
    crowd.background()
    for name in ("Анна Волкова", "Олег Волков", "Нина Волкова"):
        crowd.add(NOON + timedelta(hours=len(crowd.people) % 5), name=name, device="tablet")
    for number in (7, 8, 10):
        crowd.add(NOON - timedelta(hours=number), email=f"ivanov{number}@mail.ru")
    for year in (1985, 1986, 1987, 1988):
        crowd.add(NOON - timedelta(hours=year % 20), email=f"petrov{year}@mail.ru")
    assert bot_flags(crowd.scan()) == {}


def test_networks_are_slash_24_and_slash_64() -> None:
    assert network("203.0.113.77") == "203.0.113.0/24"
    assert network("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert network("not an address") is None


def test_the_evidence_reads_in_sentences_and_as_a_picture() -> None:
    edges = [{"from": "entry:bot5", "to": "network:45.12.7.0/24", "label": "burst",
              "count": "20"},
             {"from": "entry:bot5", "to": "series:ivan.petrov#@mail.ru", "label": "template",
              "count": "20"}]
    lines = evidence_lines(edges, {"entry:bot5": "Иван Петров"}, "en")
    assert lines == [
        "Entrant Иван Петров came in a burst: 20 entries from 45.12.7.0/24 within ten "
        "minutes, a large share of all the contest's entries then.",
        "Entrant Иван Петров follows a template shared by 20 entries: ivan.petrov#@mail.ru."]
    svg = evidence_svg(edges, {"entry:bot5": "Иван Петров"}, title="t", language="en")
    assert "came in a burst from" in svg and "Numbered mailboxes" in svg


def test_the_file_scan_counts_throwaway_mailboxes_unless_the_rules_allow_them(
        tmp_path: Path) -> None:
    (tmp_path / "staff.csv").write_text("staff_id,full_name\n", encoding="utf-8")
    (tmp_path / "entries.csv").write_text(
        "entry_id,full_name,email,submitted_at\n"
        "1,Anna Lee,anna.lee@gmail.com,2026-01-05T10:00:00Z\n"
        + "".join(f"{2 + i},User {4711 + 13 * i},u{i}x@yopmail.com,2026-01-05T1{1 + i}:00:00Z\n"
                  for i in range(3)), encoding="utf-8")

    def bot_entries(*rules: str) -> set[str]:
        result = CliRunner().invoke(main, [
            "fraud", "scan", "--entries", str(tmp_path / "entries.csv"),
            "--staff", str(tmp_path / "staff.csv"), *rules, "--out", "-"])
        assert result.exit_code == 0, result.output
        flags = json.loads(result.stdout[:result.stdout.rindex("}") + 1])["flags"]
        return {flag["entry_id"] for flag in flags if flag["kind"] == "bot"}

    assert bot_entries() == {"2", "3", "4"}  # the rules' default: flag them
    allowing = rules_document(defences=Defences(disposable_email=DisposableEmail.ALLOW))
    (tmp_path / "rules.json").write_text(json.dumps(allowing.to_data()), encoding="utf-8")
    assert bot_entries("--rules", str(tmp_path / "rules.json")) == set()
EMPTY = AccountProfile(closed=True, has_photo=False, followers=0)


def test_fake_vk_accounts_registered_together_and_empty_are_flagged_with_their_evidence(
        ) -> None:
    crowd = Crowd()
    crowd.background()
    crowd.vk_crowd(300)
    first = 812_345_000
    farm = [crowd.vk(NOON + timedelta(hours=i), first + 17 * i,
                     AccountProfile(deactivated="banned") if i == 3 else EMPTY, key=f"bot{i}")
            for i in range(8)]
    result = crowd.scan()
    flagged = bot_flags(result)
    assert set(flagged) == set(farm)
    assert set(flagged["bot3"]) == {"registered_together", "account_state"}
    flag = next(f for f in result.flags if f.entry_id == "bot3")
    assert flag.score == 0.6 and flag.related_to == "bot0"
    by_label = {edge["label"]: edge for edge in flag.evidence}
    assert by_label["registered_together"]["to"] == "registered:vk:812345000…vk:812345119"
    assert by_label["registered_together"]["count"] == "8"
    assert by_label["account_state"]["to"] == "profile:banned"
    lines = evidence_lines(flag.evidence, {"entry:bot3": "Иван Петров"}, "en")
    assert lines == [
        "Entrant Иван Петров entered from one of 8 entrants' VK accounts registered at about "
        "the same time: their ids lie close together (vk:812345000…vk:812345119).",
        "Entrant Иван Петров entered from a social account the network has since banned."]
    svg = evidence_svg(flag.evidence, {"entry:bot3": "Иван Петров"}, title="t",
                       language="en")
    assert "Accounts registered together" in svg and "banned" in svg


def test_a_real_vk_crowd_without_photos_or_followers_is_not_flagged() -> None:
    crowd = Crowd(seed=3)
    crowd.background()
    honest = crowd.vk_crowd(3000)
    # and a hundred more with nothing on their page at all
    for _ in range(100):
        honest.append(crowd.vk(NOON, crowd.rng.randint(1, 900_000_000), EMPTY))
    signals = entry_signals(in_submission_order(crowd.people))
    place = {person.key: i for i, person in enumerate(in_submission_order(crowd.people))}
    empty = [key for key in honest if any(signal.kind == "account_state"
                                          for signal in signals.get(place[key], ()))]
    assert len(empty) > 100            # many honest accounts show almost nothing
    assert bot_flags(crowd.scan()) == {}


def test_accounts_registered_together_with_photos_and_followers_are_not_flagged() -> None:
    crowd = Crowd()
    crowd.background()
    lively = AccountProfile(closed=False, has_photo=True, followers=150)
    for i in range(8):     # a class whose teacher registered them one afternoon
        crowd.vk(NOON + timedelta(hours=i), 700_000_000 + 30 * i, lively)
    assert bot_flags(crowd.scan()) == {}


def test_what_in_an_accounts_state_counts() -> None:
    assert account_state(None) is None
    assert account_state(AccountProfile()) is None          # nothing known: nothing said
    assert account_state(AccountProfile(deactivated="banned")) == "banned"
    assert account_state(AccountProfile(deactivated="deleted")) == "deleted"
    assert account_state(AccountProfile(is_bot=True)) == "bot"
    assert account_state(AccountProfile(is_bot=False)) is None
    assert account_state(AccountProfile(has_photo=False, followers=3)) == "empty"
    assert account_state(AccountProfile(has_photo=False, followers=4)) is None
    assert account_state(AccountProfile(has_photo=True, followers=0)) is None
    assert account_state(AccountProfile(has_photo=False, closed=True)) == "empty"
    assert account_state(AccountProfile(has_photo=False, closed=False)) is None


def test_ids_of_a_very_large_crowd_must_lie_closer_to_count_as_registered_together() -> None:
    assert together_gap(2_000) == 100
    assert together_gap(100_000) == 100
    assert together_gap(1_000_000) == 10
