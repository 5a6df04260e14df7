"""Benchmark population for the ``bot`` detector, with its answer key.

The entries of :func:`bench.fraud_population.generate` (a giveaway's ordinary traffic, with
its own planted staff cases and hard negatives) are the background; into them go bot farms
(label ``kind`` ``bot``, ``note`` the farm, one of :data:`FARMS`) and honest crowds that look
bursty (label ``kind`` ``clean``, ``note`` one of :data:`CROWDS`):

* ``burst_device`` — a script sends :data:`FARM_SIZE` entries in six minutes from one IP
  address and one device, under Faker names;
* ``burst_template`` — a script sends them in eight minutes from addresses of one ``/24``
  network, a new device id each time, mailboxes ``ivan.petrov1@…``, ``ivan.petrov2@…``;
* ``drip_disposable`` — a slow drip, one entry every five to nine hours over the contest
  (below any rate limit), from many networks, numbered mailboxes at throwaway domains;
* ``drip_birth_date`` — a slow drip from one emulated device, every entrant born on one day;
* ``numbered_names`` — ``User 4711``-style names at throwaway domains, from anywhere;
* ``fake_accounts`` — entries read from VK: accounts only, no IP, device or mailbox, over
  the whole contest. The accounts were registered by one farm in one sitting (their ids
  follow each other a few dozen apart), and VK shows them as such at the read
  (:attr:`BotPopulation.profiles`): a few banned since, most with no photo, at most two
  followers, half of them closed; some were given a photo.

Honest crowds: ``tv_mention`` — :data:`TV_CROWD` people in ten minutes after a TV mention,
most behind ten NAT addresses of one mobile carrier's network, each with their own device;
``dormitory`` — :data:`DORMITORY` students behind one address over the contest, a fifth of
them within a quarter of an hour after a poster went up, born within four years of each other;
``vk_crowd`` — :data:`VK_CROWD` real people who reposted the contest's VK post, a third of
them in its first hour, their ids spread over VK's whole range (recent accounts more often),
and their accounts as real ones are: a quarter with no photo, many with few followers, some
closed, a few deleted or banned since.

Each entry but those read from VK names a browser (``user_agent``): people's, the
background's too, as common as they are (:data:`BROWSERS`), the bursting scripts' their own
(:data:`SCRIPT`, :data:`HEADLESS`), the drips' a person's, as a careful farm sends.

Everything is drawn from ``random.Random(seed)`` and a Faker seeded with it.

    .venv/bin/python bench/bot_population.py --entries 20000 --seed 7
"""

import argparse
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

from faker import Faker

# The checkout, so that ``bench.…`` imports the same way as a script and under pytest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import fraud_population  # noqa: E402
from bench.fraud_population import OPENS, PERIOD, Population  # noqa: E402
from contest.identity.accounts import AccountProfile  # noqa: E402
from contest.identity.contacts import email_key  # noqa: E402

FARMS: tuple[str, ...] = ("burst_device", "burst_template", "drip_disposable",
                          "drip_birth_date", "numbered_names", "fake_accounts")
CROWDS: tuple[str, ...] = ("tv_mention", "dormitory", "vk_crowd")
FARM_SIZE = 60
FAKE_ACCOUNTS = 20
TV_CROWD = 5000
DORMITORY = 300
VK_CROWD = 2000
THROWAWAY = ("mailinator.com", "yopmail.com", "guerrillamail.com", "10minutemail.com")
_CARRIERS = tuple(f"100.64.0.{b}" for b in range(1, 11))
"""A mobile carrier's NAT addresses, of one network: most of a TV crowd is behind them."""
_MAIL = ("mail.ru", "gmail.com", "yandex.ru", "bk.ru", "inbox.ru")
BROWSERS = (
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Mobile Safari/537.36", 40),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 20),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/130.0.0.0 YaBrowser/24.12.0.0 Mobile Safari/537.36", 15),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", 15),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", 10),
)
"""Browsers as common as they are among Russian entrants, with their weights: Chrome on
Android sends one reduced string for every phone of a version."""
SCRIPT = "python-requests/2.32.3"
HEADLESS = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.0.0 Safari/537.36")


@dataclass(frozen=True)
class BotPopulation(Population):
    """The population, and what VK shows of each account read from it (by account)."""

    profiles: dict[str, AccountProfile] = field(default_factory=dict)


@dataclass
class _Row:
    moment: datetime
    row: dict[str, str]
    label: dict[str, str] | None


class _Maker:
    def __init__(self, seed: int, taken: set[str]) -> None:
        # Not the background's own draws: its devices and mailboxes would come again.
        self.rng = Random(f"bots {seed}")
        self.browsers = Random(f"browsers {seed}")  # apart, so the other draws stay the same
        self.faker = Faker("ru_RU")
        self.faker.seed_instance(self.rng.getrandbits(64))
        self.mailboxes = taken
        """Mailboxes given already (the background's too), as the scan reads them
        (:func:`~contest.identity.contacts.email_key`: Gmail dots aside): two people do not
        share one."""
        self.rows: list[_Row] = []
        self.count = 0
        self.profiles: dict[str, AccountProfile] = {}

    def entry(self, moment: datetime, *, kind: str, note: str, name: str | None = None,
              email: str = "", ip: str = "", device: str = "", birth: date | None = None,
              account: str = "", agent: str | None = None) -> None:
        self.count += 1
        entry_id = f"{'b' if kind == 'bot' else 'h'}{self.count:06d}"
        born = birth or self.faker.date_of_birth(minimum_age=18, maximum_age=70)
        row = {column: "" for column in fraud_population.ENTRY_COLUMNS}
        row.update({
            "entry_id": entry_id, "submitted_at": moment.isoformat(timespec="seconds"),
            "full_name": name or self.faker.name(), "email": email,
            "birth_date": born.isoformat(), "country": "RU", "ip": ip, "device_id": device,
            "account": account,
            # an entry read from a network names no browser; a person's names theirs
            "user_agent": agent if agent is not None else "" if account else self.browser()})
        self.rows.append(_Row(moment, row, {"entry_id": entry_id, "kind": kind,
                                            "related_to": "", "note": note}))

    def browser(self) -> str:
        names, weights = zip(*BROWSERS, strict=True)
        return self.browsers.choices(names, weights=weights)[0]

    def device(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self, start: datetime, span: timedelta) -> datetime:
        return start + timedelta(seconds=self.rng.uniform(0, span.total_seconds()))

    def personal_mail(self) -> str:
        """A mailbox no one else has."""
        while True:
            login = self.faker.user_name()
            mailbox = f"{login}@{self.rng.choice(_MAIL)}"
            key = email_key(mailbox) or mailbox.casefold()
            if key not in self.mailboxes:
                self.mailboxes.add(key)
                return mailbox

    def farms(self) -> None:
        rng = self.rng
        start = OPENS + timedelta(days=3, hours=rng.randint(0, 23))
        ip, device = f"185.220.{rng.randint(0, 255)}.{rng.randint(1, 254)}", self.device()
        for _ in range(FARM_SIZE):
            self.entry(self.moment(start, timedelta(minutes=6)), kind="bot",
                       note="burst_device", email=self.personal_mail(), ip=ip, device=device,
                       agent=SCRIPT)
        start = OPENS + timedelta(days=9, hours=rng.randint(0, 23))
        net = f"45.{rng.randint(0, 255)}.{rng.randint(0, 255)}"
        login = self.faker.user_name().rstrip("0123456789")
        for number in range(1, FARM_SIZE + 1):
            self.entry(self.moment(start, timedelta(minutes=8)), kind="bot",
                       note="burst_template", email=f"{login}{number}@mail.ru",
                       ip=f"{net}.{rng.randint(1, 254)}", device=self.device(),
                       agent=HEADLESS)
        login = self.faker.user_name().rstrip("0123456789")
        moment = OPENS + timedelta(hours=rng.randint(1, 12))
        for number in range(1, FARM_SIZE + 1):
            moment += timedelta(hours=rng.uniform(5, 9))
            self.entry(moment, kind="bot", note="drip_disposable",
                       email=f"{login}{number + 100}@{rng.choice(THROWAWAY)}",
                       ip=self._anywhere(), device=self.device())
        device, born = self.device(), self.faker.date_of_birth(minimum_age=20, maximum_age=40)
        moment = OPENS + timedelta(hours=rng.randint(1, 12))
        for _ in range(FARM_SIZE):
            moment += timedelta(hours=rng.uniform(8, 11))
            self.entry(moment, kind="bot", note="drip_birth_date",
                       email=self.personal_mail(), ip=self._anywhere(), device=device,
                       birth=born)
        for _ in range(FARM_SIZE):
            self.entry(self.moment(OPENS, PERIOD), kind="bot", note="numbered_names",
                       name=f"{rng.choice(('User', 'Test', 'Участник'))} "
                            f"{rng.randint(100, 99999)}",
                       email=f"{self.faker.user_name()}@{rng.choice(THROWAWAY)}",
                       ip=self._anywhere(), device=self.device())
        user = rng.randint(800_000_000, 900_000_000)
        for _ in range(FAKE_ACCOUNTS):
            user += rng.randint(1, 60)
            account = f"vk:{user}"
            self.entry(self.moment(OPENS, PERIOD), kind="bot", note="fake_accounts",
                       account=account)
            if rng.random() < 0.15:
                self.profiles[account] = AccountProfile(deactivated="banned")
            else:
                self.profiles[account] = AccountProfile(
                    closed=rng.random() < 0.5, has_photo=rng.random() < 0.15,
                    followers=rng.randint(0, 2))

    def crowds(self) -> None:
        rng = self.rng
        start = OPENS + timedelta(days=14, hours=17)
        for _ in range(TV_CROWD):
            behind_carrier = rng.random() < 0.7
            self.entry(self.moment(start, timedelta(minutes=10)), kind="clean",
                       note="tv_mention", email=self.personal_mail(),
                       ip=rng.choice(_CARRIERS) if behind_carrier else self._anywhere(),
                       device=self.device())
        ip = f"95.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        poster = OPENS + timedelta(days=20, hours=19)
        for number in range(DORMITORY):
            moment = (self.moment(poster, timedelta(minutes=15)) if number < DORMITORY // 5
                      else self.moment(OPENS, PERIOD))
            self.entry(moment, kind="clean", note="dormitory", email=self.personal_mail(),
                       ip=ip, device=self.device(),
                       birth=date(2004, 9, 1) + timedelta(days=rng.randint(0, 4 * 365)))

    def vk_crowd(self) -> None:
        rng = self.rng
        posted = OPENS + timedelta(days=2, hours=12)
        for _ in range(VK_CROWD):
            moment = (self.moment(posted, timedelta(hours=1)) if rng.random() < 1 / 3
                      else self.moment(posted, PERIOD - timedelta(days=3)))
            # recent accounts are more common among the active
            user = (rng.randint(600_000_000, 900_000_000) if rng.random() < 0.4
                    else rng.randint(1, 900_000_000))
            account = f"vk:{user}"
            if account in self.profiles:
                continue
            self.entry(moment, kind="clean", note="vk_crowd", account=account)
            chance = rng.random()
            if chance < 0.01:
                self.profiles[account] = AccountProfile(deactivated="deleted")
            elif chance < 0.015:
                self.profiles[account] = AccountProfile(deactivated="banned")
            else:
                followers = int(rng.lognormvariate(3.5, 1.6))
                self.profiles[account] = AccountProfile(
                    closed=rng.random() < 0.25, has_photo=rng.random() < 0.75,
                    followers=followers)

    def _anywhere(self) -> str:
        rng = self.rng
        return f"{rng.randint(2, 220)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}." \
               f"{rng.randint(1, 254)}"


def generate(entries: int, seed: int) -> BotPopulation:
    """``entries`` entries of ordinary traffic with the farms and crowds among them, in
    submission order; labels for every planted entry (the background's own as well)."""
    background = fraud_population.generate(entries, 20, seed)
    maker = _Maker(seed, {email_key(row["email"]) or row["email"].casefold()
                          for row in background.entries})
    maker.farms()
    maker.crowds()
    maker.vk_crowd()
    planted = sorted(maker.rows, key=lambda item: item.moment)
    browsers = Random(f"background browsers {seed}")  # the background's draws stay the same
    names, weights = zip(*BROWSERS, strict=True)
    for row in background.entries:  # people's own browsers, as common as they are
        row["user_agent"] = browsers.choices(names, weights=weights)[0]
    rows = [*background.entries, *(item.row for item in planted)]
    rows.sort(key=lambda row: datetime.fromisoformat(row["submitted_at"]).astimezone(UTC))
    labels = [*background.labels, *(item.label for item in planted if item.label)]
    return BotPopulation(entries=rows, staff=background.staff, relatives=background.relatives,
                         labels=labels, profiles=maker.profiles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    population = generate(args.entries, args.seed)
    print(f"{len(population.entries):,} entries: {population.label_counts()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
