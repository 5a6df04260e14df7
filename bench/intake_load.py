"""Benchmark: the entry API under concurrent clients, served by gunicorn, and a crash test.

Starts ``contest serve --workers N`` on a fresh database with one open contest, then drives
``POST /api/contests/<slug>/entries`` over loopback from ``--clients`` concurrent keep-alive
connections (one asyncio process, so the client costs little of the two cores). About 2% of
the entries are deliberately invalid (the intended 422 rejections) and about 2% repeat an
earlier entrant (accepted, but ineligible). Prints accepted entries/s, p50/p99 latency and
every answer that was neither 201 nor an intended 422, and the CPU each side spent per
accepted entry (the server's processes, the database's backends for this run, the client),
so a run shows which of them the two cores went to, and how busy the machine was (a virtual
machine loses time to its neighbours: "stolen by the hypervisor"). Aim (issue 6): ≥ 500
entries/s with p99 ≤ 250 ms on PostgreSQL on a two-core machine, and zero unintended errors.

With ``--defences``, the contest's rules ask what issue 21 adds at the door: each entrant
confirms their e-mail address (the server's postman mails each new entry's link after its
answer, through a real SMTP server: aiosmtpd's sink, in a process of its own) and each API
client solves a proof-of-work challenge (``GET /api/contests/load/challenge``, solved by the
client, sent with the entry). A client asks a challenge for its first entry, then solves
the ``next_challenge`` each answer carries (``--ask-each-time``: asks for every entry, two
requests an entry, both in its latency). The server's check of a solution is one hash
whatever the difficulty; the solving is the entrant's device's work, so ``--difficulty`` is
1 by default, lest this one machine's client take the cores from the server
(``--difficulty 100000``, the deployments' default, shows what it costs a client). It
prints how many links the server mailed during the run and how
many were still to mail at its end. Aim (issue 21): no lower than without them.

With ``--crash``, the server is killed with SIGKILL (every process) halfway through and
started again; afterwards every entry whose receipt a client received must be stored, no
entry may be half-stored, and ``contest log verify`` must pass.

    .venv/bin/python bench/intake_load.py [--postgres | --database-url URL] [--seconds 20]
        [--clients 32] [--workers 2] [--threads 16] [--crash]
        [--defences [--difficulty N] [--ask-each-time]]
"""

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, text
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contest.canonical import canonical_json  # noqa: E402
from contest.db import make_engine, upgrade  # noqa: E402
from contest.entries.confirmation import unmailed  # noqa: E402
from contest.entries.consent import consent_for  # noqa: E402
from contest.models import ConfirmationMail, Contest, Entry, RulesVersion  # noqa: E402
from contest.rules.canonical import rules_sha256  # noqa: E402
from contest.rules.document import (  # noqa: E402
    Announcement,
    ComplaintChannel,
    Defences,
    Eligibility,
    EntryLimits,
    EntryPeriod,
    Money,
    Party,
    Prize,
    RulesDocument,
)

SLUG = "load"
CONTEST = str(Path(sys.executable).with_name("contest"))


@dataclass
class Tally:
    accepted: dict[str, str] = field(default_factory=dict)  # idempotency key -> ticket
    intended: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    refused_while_down: int = 0
    challenges: int = 0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def cpu_seconds(server: subprocess.Popen[bytes] | None, database: str | None) -> dict[str, float]:
    """CPU seconds so far of the server's processes (its session) and of the PostgreSQL
    backends connected to ``database``, read from /proc (processes that exited are gone)."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent = {"server": 0.0, "database": 0.0}
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            stat = (folder / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            seconds = (int(fields[11]) + int(fields[12])) / ticks
            if server is not None and int(fields[3]) == server.pid:
                spent["server"] += seconds
            elif database and database.encode() in (folder / "cmdline").read_bytes():
                spent["database"] += seconds
        except (OSError, ValueError, IndexError):
            continue
    return spent


def machine_ticks() -> list[int]:
    """The machine's CPU time so far by kind (the first line of /proc/stat): user, nice,
    system, idle, iowait, irq, softirq, steal."""
    return [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]


def machine_line(before: list[int], after: list[int]) -> str:
    """How the cores spent the run: a virtual machine's figures move with its neighbours, and
    time the hypervisor gave to others (steal) is time this run could not use."""
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent) or 1
    idle, steal = spent[3] + spent[4], spent[7]
    return (f"machine: busy {(total - idle - steal) / total:.0%}, idle {idle / total:.0%}, "
            f"stolen by the hypervisor {steal / total:.0%}")


def make_database(args: argparse.Namespace, folder: Path) -> str:
    if args.database_url:
        return str(args.database_url)
    if not args.postgres:
        return f"sqlite:///{folder}/load.db"
    server = subprocess.run([str(ROOT / "scripts" / "test-postgres")], check=True,
                            capture_output=True, text=True).stdout.strip().splitlines()[-1]
    name = f"contest_load_{os.getpid()}"
    admin = make_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    """Drop the database :func:`make_database` made on the test server."""
    server, name = url.rsplit("/", 1)
    admin = make_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def load_rules(now: datetime, *, defences: bool = False) -> RulesDocument:
    """The benchmark contest's rules, open from a day before ``now``; with ``defences``,
    entrants confirm their address and API clients solve a challenge."""
    return RulesDocument(
        language="en", title="Load test", sponsor=Party("Sponsor"), organiser=Party("Org"),
        period=EntryPeriod("UTC", now - timedelta(days=1), now + timedelta(days=30),
                           now + timedelta(days=31)),
        eligibility=Eligibility(min_age=18, legal_min_age=18, countries=("RU", "UA", "US")),
        limits=EntryLimits(per_person=1),
        prizes=(Prize("Gift card", 10, Money(Decimal("10.00"), "USD")),), winners=10, alternates=5,
        announcement=Announcement("e-mail", 3), complaints=ComplaintChannel("c@example.com"),
        defences=Defences(confirm_email=True, api_challenge=True) if defences else Defences())


CONSENT = consent_for(load_rules(datetime.now(UTC)), "en").version
"""The version of the consent to the processing of personal data each entrant sends."""


def open_contest(url: str, *, defences: bool) -> None:
    now = datetime.now(UTC)
    document = load_rules(now, defences=defences)
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        contest = Contest(slug=SLUG, language="en", title="Load test",
                          draft_json=canonical_json(document.to_data()).decode(),
                          created_at=now, updated_at=now)
        session.add(contest)
        session.flush()
        session.add(RulesVersion(contest_id=contest.id or 0, version=1,
                                 sha256=rules_sha256(document),
                                 canonical_json=canonical_json(document.to_data()).decode(),
                                 published_at=now - timedelta(days=2)))
        session.commit()
    engine.dispose()


def start_server(environment: dict[str, str], port: int, args: argparse.Namespace
                 ) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [CONTEST, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--threads", str(args.threads)], env=environment, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contests", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def entrant(number: int, rng: random.Random) -> dict[str, str]:
    country = rng.choice(["RU", "UA", "US"])
    body = {"full_name": f"Load Entrant {number}", "email": f"entrant{number}@example.com",
            "birth_date": f"{rng.randint(1950, 2000)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "country": country, "personal_data_consent": CONSENT}
    roll = rng.random()
    if roll < 0.02:
        body["email"] = "not-an-email"  # an intended rejection
    elif roll < 0.04 and number > 10:
        body["email"] = f"entrant{rng.randrange(number - 10)}@example.com"  # a repeat
    return body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send one HTTP/1.1 request on a keep-alive connection and read its answer: the status
    (0: the connection closed), the headers and the body."""
    writer.write(request)
    status_line = await reader.readline()
    if not status_line:
        return 0, {}, b""
    headers: dict[str, str] = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    payload = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers, payload


def solved(challenge: bytes) -> str:
    """The payload an API client sends for ``challenge`` (the server's JSON), solved."""
    import altcha

    parsed = altcha.Challenge.from_dict(json.loads(challenge))
    solution = altcha.solve_challenge(parsed)
    assert solution is not None
    return str(altcha.Payload(parsed, solution).to_base64())


async def client(port: int, deadline: float, counter: list[int], tally: Tally,
                 rng: random.Random, defences: bool, chain: bool) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    following: dict[str, object] | None = None  # the last answer's next_challenge
    while time.perf_counter() < deadline:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                tally.refused_while_down += 1
                await asyncio.sleep(0.05)
                continue
        assert reader is not None
        counter[0] += 1
        number = counter[0]
        key = f"load-{number}"
        entry: dict[str, str] = entrant(number, rng)
        started = time.perf_counter()
        try:
            if defences and following is not None:
                entry["challenge"] = solved(json.dumps(following).encode())
                following = None
            elif defences:
                status, headers, payload = await exchange(reader, writer, (
                    f"GET /api/contests/{SLUG}/challenge HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "\r\n").encode())
                if status != 200:
                    raise OSError(f"challenge: {status}")
                tally.challenges += 1
                entry["challenge"] = solved(payload)
            body = json.dumps(entry).encode()
            status, headers, payload = await exchange(reader, writer, (
                f"POST /api/contests/{SLUG}/entries HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\nIdempotency-Key: {key}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
        except (OSError, asyncio.IncompleteReadError):
            tally.refused_while_down += 1
            writer = None
            continue
        if status == 0:
            tally.refused_while_down += 1
            writer = None
            continue
        tally.latencies.append(time.perf_counter() - started)
        if status == 201:
            answer = json.loads(payload)
            tally.accepted[key] = answer["ticket"]
            following = answer.get("next_challenge") if chain else None
        elif status == 422 and b"email" in payload:
            tally.intended += 1
        else:
            tally.error(f"{status} {payload[:120]!r}")
        if headers.get("connection", "").lower() == "close":
            writer.close()
            writer = None


async def drive(port: int, seconds: float, clients: int, tally: Tally,
                defences: bool, chain: bool) -> None:
    deadline = time.perf_counter() + seconds
    counter = [0]
    await asyncio.gather(*(client(port, deadline, counter, tally, random.Random(n), defences,
                                  chain) for n in range(clients)))


def drain(url: str, patience: float = 300) -> float | None:
    """Seconds until the server mailed every link still to mail, or None if it had not
    after ``patience``."""
    started = time.perf_counter()
    while time.perf_counter() - started < patience:
        if mail_counts(url)[1] == 0:
            return time.perf_counter() - started
        time.sleep(0.25)
    return None


def start_sink(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's sink (it takes every message and keeps none) on ``port``, in a process of
    its own, as a deployment's mail server is."""
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c",
                             "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return sink
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the mail server did not start")


def mail_counts(url: str) -> tuple[int, int]:
    """The links mailed so far, and the entries waiting for one."""
    engine = make_engine(url)
    with Session(engine) as session:
        mailed = session.exec(select(func.count()).select_from(ConfirmationMail)).one()
        waiting = len(unmailed(session, limit=None))
    engine.dispose()
    return mailed, waiting


def crash_and_restart(server: subprocess.Popen[bytes], environment: dict[str, str],
                      port: int, args: argparse.Namespace, delay: float,
                      restarted: list[subprocess.Popen[bytes]]) -> None:
    time.sleep(delay)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    print(f"killed the server (SIGKILL to every process) after {delay:.0f} s", flush=True)
    restarted.append(start_server(environment, port, args))
    print("started it again", flush=True)


def check_after_crash(url: str, tally: Tally, environment: dict[str, str]) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        stored = set(session.exec(select(Entry.ticket)).all())
        half = session.exec(select(func.count()).select_from(Entry).where(
            Entry.full_name == "")).one()
    engine.dispose()
    missing = [ticket for ticket in tally.accepted.values() if ticket not in stored]
    print(f"receipts received: {len(tally.accepted):,}; stored entries: {len(stored):,}; "
          f"receipted but missing: {len(missing)}; half-stored: {half}")
    verified = subprocess.run([CONTEST, "log", "verify"], env=environment, capture_output=True,
                              text=True)
    print(f"contest log verify: exit {verified.returncode}: "
          f"{(verified.stdout + verified.stderr).strip()[:200]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true",
                       help="a fresh database on the test PostgreSQL (scripts/test-postgres)")
    where.add_argument("--database-url", help="an empty database to use")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--crash", action="store_true",
                        help="kill -9 the server halfway and start it again")
    parser.add_argument("--defences", action="store_true",
                        help="rules that ask e-mail confirmation and a solved challenge")
    parser.add_argument("--ask-each-time", action="store_true",
                        help="with --defences, ask a challenge for every entry rather than "
                             "solve the one the last answer carried")
    parser.add_argument("--difficulty", type=int, default=1,
                        help="the challenge's difficulty with --defences")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="contest-load-"))
    url = make_database(args, folder)
    open_contest(url, defences=args.defences)
    environment = {**os.environ, "CONTEST_DATABASE_URL": url,
                   "CONTEST_INSTANCE_PATH": str(folder / "instance"), "LANG": "C.UTF-8",
                   # The clients all come from 127.0.0.1: lift the per-address limits.
                   "CONTEST_ENTRY_RATE_LIMIT": "10000000 per minute",
                   "CONTEST_CONTEST_RATE_LIMIT": "10000000 per minute"}
    sink = None
    if args.defences:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            mail_port = int(probe.getsockname()[1])
        sink = start_sink(mail_port)
        environment |= {"CONTEST_SMTP_URL": f"smtp://127.0.0.1:{mail_port}",
                        "CONTEST_MAIL_FROM": "contest@example.com",
                        "CONTEST_BASE_URL": "http://127.0.0.1",
                        "CONTEST_CHALLENGE_DIFFICULTY": str(args.difficulty)}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = start_server(environment, port, args)
    restarted: list[subprocess.Popen[bytes]] = []
    tally = Tally()
    backend = url.split(":", 1)[0]
    print(f"{backend}: {args.clients} clients for {args.seconds:.0f} s against "
          f"{args.workers} gunicorn workers × {args.threads} threads"
          + (f"; defences: e-mail confirmation and a challenge of difficulty "
             f"{args.difficulty:,}" if args.defences else ""), flush=True)
    killer = None
    if args.crash:
        import threading

        killer = threading.Thread(target=crash_and_restart, args=(
            server, environment, port, args, args.seconds / 2, restarted))
        killer.start()
    database = url.rsplit("/", 1)[1] if backend.startswith("postgresql") else None
    cpu_before, client_before = cpu_seconds(server, database), time.process_time()
    ticks_before = machine_ticks()
    started = time.perf_counter()
    try:
        asyncio.run(drive(port, args.seconds, args.clients, tally, args.defences,
                          not args.ask_each_time))
    finally:
        elapsed = time.perf_counter() - started
        cpu_after, client_after = cpu_seconds(server, database), time.process_time()
        ticks_after = machine_ticks()
        mails = mail_counts(url) if args.defences else (0, 0)
        drained = drain(url) if args.defences else None
        if killer is not None:
            killer.join()
        for process in [server, *restarted]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait()
    latencies = sorted(tally.latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0
    print(f"accepted {len(tally.accepted):,} entries in {elapsed:.1f} s: "
          f"{len(tally.accepted) / elapsed:.0f} entries/s; p50 {p50:.0f} ms, p99 {p99:.0f} ms; "
          f"intended rejections {tally.intended:,}; other errors {sum(tally.errors.values())}")
    if not args.crash and tally.accepted:
        per_entry = {side: (cpu_after[side] - cpu_before[side]) / len(tally.accepted) * 1000
                     for side in cpu_after}
        client = (client_after - client_before) / len(tally.accepted) * 1000
        print(f"CPU per accepted entry: server {per_entry['server']:.2f} ms, database "
              f"{per_entry['database']:.2f} ms, client {client:.2f} ms "
              f"(client busy {(client_after - client_before) / elapsed:.0%} of the time)")
        print(machine_line(ticks_before, ticks_after))
    if sink is not None:
        sink.terminate()
        sink.wait()
        print(f"challenges fetched and solved: {tally.challenges:,}; confirmation links "
              f"mailed during the run: {mails[0]:,} ({mails[0] / elapsed:.0f} mails/s), "
              f"still to mail at its end: {mails[1]:,}"
              + (f", all mailed {drained:.1f} s after it" if drained is not None else ""))
    for what, count in sorted(tally.errors.items(), key=lambda item: -item[1])[:10]:
        print(f"  {count} × {what}")
    if args.crash:
        print(f"requests cut off or refused while the server was down: "
              f"{tally.refused_while_down:,}")
        check_after_crash(url, tally, environment)
    if args.postgres:
        drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
