"""``contest``: everything a person can do without the browser.

Each command opens its own database session from the deployment's settings. Messages follow
the terminal's language (``LANG``/``LC_ALL``: Russian or English). Web commands such as
``serve`` are added by the ``contest.commands`` entry point group, so this module stays
free of Flask.
"""

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from sqlmodel import Session

if TYPE_CHECKING:
    from contest.ledger.note import Signer

from contest.config import Settings
from contest.db import make_engine, session_scope, upgrade
from contest.errors import ContestError, InvalidInput
from contest.i18n import LANGUAGES, N_
from contest.json_input import read_json_object


def terminal_language() -> str:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def fail(error: ContestError) -> "click.exceptions.Exit":
    language = terminal_language()
    click.echo(f"error: {error.text(language)}", err=True)
    if isinstance(error, InvalidInput):
        for problem in error.errors:
            click.echo(f"  {problem.field}: {problem.text(language)}", err=True)
    return click.exceptions.Exit(1 if not isinstance(error, InvalidInput) else 2)


def now() -> datetime:
    return datetime.now(UTC)


class Moment(click.ParamType):
    """An ISO 8601 moment with its UTC offset (a moment without one is ambiguous)."""

    name = "moment"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 moment such as 2026-12-08T20:00:00+03:00",
                      param, ctx)
        if moment.tzinfo is None:
            self.fail(f"{value!r} has no UTC offset; add one, such as +03:00 or Z", param, ctx)
        return moment


MOMENT = Moment()


class Context:
    """Settings and an engine, made lazily so ``--help`` needs no database."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._engine: Any = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = Settings.load()
            except ContestError as error:
                raise fail(error) from None
        return self._settings

    @property
    def engine(self) -> Any:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
            upgrade(self._engine)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with session_scope(self.engine) as session:
                yield session
        except ContestError as error:
            raise fail(error) from None


pass_context = click.make_pass_decorator(Context, ensure=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="contest")
@click.pass_context
def main(click_context: click.Context) -> None:
    """Fairness auditor for promotional contests: rules, entries, draws, complaints."""
    click_context.call_on_close(click_context.ensure_object(Context).close)


# -- database ---------------------------------------------------------------------------------
@main.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(context: Context) -> None:
    """Apply every Alembic migration (done automatically by the other commands too)."""
    _ = context.engine
    from contest.masking import mask_url

    click.echo(f"database is up to date: {mask_url(context.settings.database_url)}")


# -- users ------------------------------------------------------------------------------------
@main.group()
def users() -> None:
    """Staff accounts: marketers, auditors, admins."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["marketer", "auditor", "admin"]))
@click.password_option("--password", help="At least 10 characters (asked when left out).")
@pass_context
def users_create(context: Context, email: str, name: str, role: str, password: str) -> None:
    """Create a staff account."""
    from contest.accounts import create_user

    with context.session() as session:
        user = create_user(session, email=email, name=name, role=role, password=password,
                           actor_id=None, now=now())
        click.echo(f"created {user.role} {user.email}")


@users.command("list")
@pass_context
def users_list(context: Context) -> None:
    """One line per account: e-mail, role, active."""
    from contest.accounts import list_users

    with context.session() as session:
        for user in list_users(session):
            click.echo(f"{user.email}\t{user.role}\t{'active' if user.active else 'inactive'}")


# -- contests and rules -----------------------------------------------------------------------
@main.group()
def contests() -> None:
    """Contests and their status."""


@contests.command("list")
@pass_context
def contests_list(context: Context) -> None:
    """One line per contest: slug, status, entry count, rules hash, title."""
    from contest.rules.publishing import list_contests

    with context.session() as session:
        for c in list_contests(session, now=now()):
            click.echo(f"{c.slug}\t{c.status.value}\t{c.entry_count}\t"
                       f"{c.rules_sha256 or '-'}\t{c.title}")


@contests.command("create")
@click.argument("slug")
@click.option("--title", required=True)
@click.option("--language", default="en", type=click.Choice(["en", "ru", "uk"]))
@click.option("--rules", "rules_file", type=click.Path(exists=True, dir_okay=False,
                                                       path_type=Path),
              help="A rules draft as JSON; a starter draft when left out.")
@pass_context
def contests_create(context: Context, slug: str, title: str, language: str,
                    rules_file: Path | None) -> None:
    """Create a contest with a draft of its rules."""
    from contest.rules.publishing import create_contest

    draft = _read_rules_file(rules_file) if rules_file else None
    with context.session() as session:
        contest = create_contest(session, slug=slug, language=language, title=title,
                                 actor_id=None, now=now(), draft=draft)
        click.echo(f"created {contest.slug} (draft)")


def _read_rules_file(path: Path) -> dict[str, Any]:
    """The rules draft in ``path``, read as the API reads a body (:mod:`contest.json_input`);
    a file that is not a JSON object stops the command, naming the problem."""
    try:
        return read_json_object(
            path.read_bytes(), field=str(path),
            expected=N_("must be a JSON object of rules, such as `contest rules show --draft` "
                        "prints"),
            refuse=lambda errors: InvalidInput(N_("the rules file cannot be read"), errors))
    except InvalidInput as unreadable:
        raise fail(unreadable) from None


@main.group()
def rules() -> None:
    """Official rules: show, edit the draft, publish versions."""


@rules.command("show")
@click.argument("contest_slug")
@click.option("--version", "number", type=int, help="A published version (default: newest).")
@click.option("--draft", is_flag=True, help="Show the working draft instead.")
@pass_context
def rules_show(context: Context, contest_slug: str, number: int | None, draft: bool) -> None:
    """Print the rules as JSON (published versions print their canonical JSON and hash)."""
    from contest.rules.publishing import draft_data, find_contest, published_versions

    with context.session() as session:
        contest = find_contest(session, contest_slug)
        if draft:
            click.echo(json.dumps(draft_data(contest), ensure_ascii=False, indent=2))
            return
        versions = published_versions(session, contest)
        chosen = [v for v in versions if number is None or v.version == number]
        if not chosen:
            click.echo(f"error: {contest_slug} has no published version "
                       f"{number if number else ''}".rstrip(), err=True)
            raise click.exceptions.Exit(1)
        version = chosen[-1]
        click.echo(f"# version {version.version}, sha256 {version.sha256}", err=True)
        click.echo(version.canonical_json)


@rules.command("edit")
@click.argument("contest_slug")
@click.argument("rules_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def rules_edit(context: Context, contest_slug: str, rules_file: Path) -> None:
    """Replace the working draft with RULES_FILE (JSON) and list what is still wrong."""
    from contest.rules.publishing import find_contest, save_draft

    draft = _read_rules_file(rules_file)
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        problems = save_draft(session, contest=contest, draft=draft, actor_id=None, now=now())
    language = terminal_language()
    for problem in problems:
        click.echo(f"  {problem.field}: {problem.text(language)}", err=True)
    click.echo("draft saved" + (f" with {len(problems)} problems" if problems else ", valid"))


@rules.command("publish")
@click.argument("contest_slug")
@click.option("--reason", default="",
              help="Why the rules change, a code (required once the contest opened): "
                   "correction, extension, prize_substitute, more_prizes, wider_eligibility, "
                   "schedule, legal, other. Published.")
@click.option("--note", default="", help="Your own words on the change: private, never "
                                         "published.")
@pass_context
def rules_publish(context: Context, contest_slug: str, reason: str, note: str) -> None:
    """Freeze the draft as a new published version; prints its number and SHA-256."""
    from contest.rules.publishing import find_contest, publish

    with context.session() as session:
        version = publish(session, contest=find_contest(session, contest_slug), actor_id=None,
                          now=now(), signer=_signer(context), reason=reason, note=note)
        click.echo(f"published version {version.version} sha256 {version.sha256}")


# -- entries ----------------------------------------------------------------------------------
@main.group()
def entries() -> None:
    """Entries: CSV import and export."""


@entries.command("import")
@click.argument("contest_slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the rejected rows (default: FILE.rejected.csv).")
@pass_context
def entries_import(context: Context, contest_slug: str, csv_file: Path,
                   report_file: Path | None) -> None:
    """Import entries gathered elsewhere; rejected rows go to a report, valid ones are kept."""
    from contest.entries.csv_import import import_entries_csv
    from contest.errors import NotFound
    from contest.i18n import N_
    from contest.rules.publishing import find_contest, find_published

    language = terminal_language()
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        found = find_published(session, contest)
        if found is None:
            raise fail(NotFound(N_("{slug} has no published rules yet"), {"slug": contest_slug}))
        with csv_file.open("rb") as stream:
            report = import_entries_csv(session, contest=found, stream=stream, now=now(),
                                        signer=_signer(context))
    if report.rejected:
        report_file = report_file or csv_file.with_suffix(".rejected.csv")
        with report_file.open("w", encoding="utf-8", newline="") as out:
            report.write_rejections_csv(out, language=language)
        click.echo(f"rejected rows written to {report_file}", err=True)
    click.echo(report.summary())
    if report.rejected:
        for row in report.rejected[:20]:
            click.echo(f"  line {row.line}, {row.column}: {row.text(language)}", err=True)
        if len(report.rejected) > 20:
            click.echo(f"  … and {len(report.rejected) - 20} more in the report", err=True)


@entries.command("export")
@click.argument("contest_slug")
@pass_context
def entries_export(context: Context, contest_slug: str) -> None:
    """Write the contest's entries as CSV (the import columns) to standard output."""
    from contest.entries.export import export_entries_csv
    from contest.rules.publishing import find_contest

    with context.session() as session:
        export_entries_csv(session, contest=find_contest(session, contest_slug), out=sys.stdout)


# -- draws ----------------------------------------------------------------------------------
@main.group()
def draw() -> None:
    """Draws from public randomness."""


@draw.command("rfc3797")
@click.option("--pool", "pool_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="One name a line, in pool order.")
@click.option("--source", "sources", multiple=True, required=True,
              help='One public source of numbers, e.g. "2 5 12 8 10"; repeat for each.')
@click.option("--select", "count", required=True, type=int, help="How many to select.")
def draw_rfc3797(pool_file: Path, sources: tuple[str, ...], count: int) -> None:
    """Select names from a pool exactly as RFC 3797 specifies, one a line, in order."""
    from contest.randomness.rfc3797 import select

    try:
        text = pool_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise click.BadParameter(f"{pool_file} is not UTF-8: {error}") from None
    pool = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        chosen = select(pool, list(sources), count)
    except ContestError as error:
        raise fail(error) from None
    for name in chosen:
        click.echo(name)


def _signer(context: Context) -> "Signer":
    from contest.ledger.keys import load_or_create_signer

    return load_or_create_signer(context.settings.instance_path, context.settings.log_origin,
                                 key_file=context.settings.log_signing_key_file)


@draw.command("freeze")
@click.argument("contest_slug")
@click.option("--announce", default="",
              help="For rfc3797 draws: the public numbers to come, codes separated by commas: "
                   "ru-gosloto-6x45, ru-gosloto-5x36, ru-russian-lotto, ua-megalot, "
                   "us-powerball, us-mega-millions, us-ny-lotto, eu-euromillions, uk-lotto.")
@click.option("--announced-at", "announced_at", default=None, type=MOMENT,
              help="For rfc3797 draws: when those numbers are published, ISO 8601 with an "
                   "offset (e.g. 2026-12-08T20:00:00+03:00); after the freeze.")
@pass_context
def draw_freeze(context: Context, contest_slug: str, announce: str,
                announced_at: datetime | None) -> None:
    """Fix the eligible tickets after the close and name the randomness to come."""
    from contest.draw.service import freeze
    from contest.rules.publishing import find_contest

    with context.session() as session:
        record = freeze(session, contest=find_contest(session, contest_slug), now=now(),
                        signer=_signer(context), announced_sources=announce,
                        announced_at=announced_at)
        click.echo(f"frozen: {len(record.tickets.split()) if record.tickets else 0} tickets, "
                   f"entries_root {record.entries_root}")
        click.echo(f"randomness: {record.randomness_plan_json}")


@draw.command("commit")
@click.argument("contest_slug")
@click.option("--party", required=True,
              help="The party's role, published: sponsor, organiser, agency, auditor, notary, "
                   "entrants or witness.")
@click.option("--name", default="", help="Who speaks for the party: private, never published.")
@click.option("--digest", required=True, help="SHA-256 of the party's secret, hex.")
@pass_context
def draw_commit(context: Context, contest_slug: str, party: str, name: str,
                digest: str) -> None:
    """Record a party's commitment (commit-reveal draws), before the freeze."""
    from contest.draw.service import commit
    from contest.rules.publishing import find_contest

    with context.session() as session:
        commit(session, contest=find_contest(session, contest_slug), party=party, name=name,
               digest=digest, now=now(), signer=_signer(context))
    click.echo(f"committed: {party}")


@draw.command("reveal")
@click.argument("contest_slug")
@click.option("--party", required=True)
@click.option("--secret", required=True, help="The secret, hex.")
@pass_context
def draw_reveal(context: Context, contest_slug: str, party: str, secret: str) -> None:
    """Record a party's revealed secret (commit-reveal draws), after the freeze."""
    from contest.draw.service import reveal
    from contest.rules.publishing import find_contest

    with context.session() as session:
        reveal(session, contest=find_contest(session, contest_slug), party=party,
               secret_hex=secret, now=now())
    click.echo(f"revealed: {party}")


@draw.command("randomness")
@click.argument("contest_slug")
@click.option("--round-json", "round_file", type=click.Path(exists=True, dir_okay=False,
                                                             path_type=Path),
              help="drand: the round's JSON, pasted from any relay (verified here).")
@click.option("--relay", "relays", multiple=True, help="drand relay URL (repeatable).")
@click.option("--source", "sources", multiple=True, help="rfc3797: a public source of numbers.")
@pass_context
def draw_randomness(context: Context, contest_slug: str, round_file: Path | None,
                    relays: tuple[str, ...], sources: tuple[str, ...]) -> None:
    """Take the public randomness the freeze named, verify it, and record it."""
    from contest.draw.service import find_draw, randomness_proof, take_randomness
    from contest.randomness.drand import DEFAULT_RELAYS, QUICKNET, fetch_round, parse_round_json
    from contest.rules.publishing import find_contest

    with context.session() as session:
        contest = find_contest(session, contest_slug)
        record = find_draw(session, contest)
        plan = json.loads(record.randomness_plan_json) if record else {}
        drand_round = None
        if plan.get("source") == "drand":
            drand_round = (parse_round_json(round_file.read_text(encoding="utf-8"))
                           if round_file else fetch_round(QUICKNET, int(plan["round"]),
                                                          relays or DEFAULT_RELAYS))
        proof = randomness_proof(plan, drand_round=drand_round, sources=sources)
        record = take_randomness(session, contest=contest, proof=proof, now=now(),
                                 signer=_signer(context))
        click.echo(f"randomness recorded: {record.value}")


@draw.command("run")
@click.argument("contest_slug")
@pass_context
def draw_run(context: Context, contest_slug: str) -> None:
    """Draw winners and alternates (contest-draw/1); prints the tickets in order."""
    from contest.draw.service import make_draw
    from contest.rules.publishing import find_contest

    with context.session() as session:
        record = make_draw(session, contest=find_contest(session, contest_slug), now=now(),
                           signer=_signer(context))
        click.echo(f"seed {record.seed}")
        for ticket in (record.winners or "").split():
            click.echo(f"winner {ticket}")
        for ticket in (record.alternates or "").split():
            click.echo(f"alternate {ticket}")


@draw.command("replace")
@click.argument("contest_slug")
@click.argument("ticket")
@click.option("--reason", required=True,
              help="A reason code, published: employee, relative, household, proxy, duplicate, "
                   "ineligible, no_claim, declined or unreachable.")
@click.option("--note", default="", help="Your own words: private, never published.")
@pass_context
def draw_replace(context: Context, contest_slug: str, ticket: str, reason: str,
                 note: str) -> None:
    """Disqualify a winner; the next unused alternate takes the place."""
    from contest.draw.service import replace_winner
    from contest.rules.publishing import find_contest

    with context.session() as session:
        row = replace_winner(session, contest=find_contest(session, contest_slug),
                             ticket=ticket, reason=reason, note=note, now=now(),
                             signer=_signer(context))
        click.echo(f"replaced {row.ticket} by {row.replacement or 'nobody (no alternate left)'}")


@draw.command("export")
@click.argument("contest_slug")
@pass_context
def draw_export(context: Context, contest_slug: str) -> None:
    """Print the draw's verification bundle (JSON) on standard output."""
    from contest.draw.bundle import build_bundle
    from contest.rules.publishing import find_contest

    with context.session() as session:
        bundle = build_bundle(session, contest=find_contest(session, contest_slug),
                              verifier_key=_signer(context).verifier_key())
    click.echo(json.dumps(bundle, ensure_ascii=False, indent=1))


@main.command("verify")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "verifier_key", help="Pin the log's verifier key (recommended).")
def verify(bundle_file: Path, verifier_key: str | None) -> None:
    """Check a draw bundle offline; prints VERIFIED or exactly what failed."""
    from contest.draw.verify import verify_bundle

    try:
        bundle = json.loads(bundle_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        click.echo(f"NOT VERIFIED: {bundle_file} is not UTF-8 JSON: {error}", err=True)
        raise click.exceptions.Exit(1) from None
    if not isinstance(bundle, dict):
        click.echo("NOT VERIFIED: the bundle must be a JSON object", err=True)
        raise click.exceptions.Exit(1)
    try:
        result = verify_bundle(bundle, verifier_key=verifier_key)
    except ContestError as error:
        click.echo(f"NOT VERIFIED: {error.text(terminal_language())}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"VERIFIED {result.contest}: winners {', '.join(result.winners)}; "
               f"alternates {', '.join(result.alternates) or '-'}; log size {result.tree_size}")


@main.group()
def log() -> None:
    """The public log."""


@log.command("verify")
@pass_context
def log_verify(context: Context) -> None:
    """Recompute the log from storage and check it against every checkpoint issued."""
    from contest.ledger.note import Verifier
    from contest.ledger.store import verify_log

    key = _signer(context).verifier_key()
    with context.session() as session:
        report = verify_log(session, [Verifier.from_key(key)])
    click.echo(f"log verified: {report.size} entries, {report.checkpoints} checkpoints, "
               f"root {report.root_hash}")


# -- demo -------------------------------------------------------------------------------------
@main.group()
def demo() -> None:
    """The demo deployment (SQLite and Faker data)."""


@demo.command("build")
@click.option("--rebuild", is_flag=True, help="Throw away an existing demo and build anew.")
@click.option("--entrants", default=5000, show_default=True)
@click.option("--seed", default=2026, show_default=True)
@pass_context
def demo_build(context: Context, rebuild: bool, entrants: int, seed: int) -> None:
    """Build the demo database: contests in every state, entrants, staff, relatives, logins."""
    from contest.demo import build_demo, demo_exists

    settings = context.settings
    if rebuild and settings.database_url.startswith("sqlite:///"):
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    with context.session() as session:
        if demo_exists(session):
            click.echo("the demo is already built; reusing it (use --rebuild to start over)")
        else:
            click.echo(f"building the demo with {entrants} entrants…")
            build_demo(session, entrants=entrants, seed=seed, now=now(),
                       signer=_signer(context))
    from contest.demo import describe_demo

    click.echo(describe_demo(context.settings.base_url))


def _add_domain_commands() -> None:
    from contest.complaints.commands import complaints
    from contest.fraud.commands import fraud, staff
    from contest.prizes.commands import prizes

    main.add_command(fraud)
    main.add_command(staff)
    main.add_command(prizes)
    main.add_command(complaints)


def _load_plugins() -> None:
    for plugin in entry_points(group="contest.commands"):
        main.add_command(plugin.load(), plugin.name)


_add_domain_commands()
_load_plugins()
