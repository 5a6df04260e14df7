"""The fraud commands: the participant-graph scan, the auditor's flags, the staff roster.

    contest fraud scan --entries entries.csv --staff staff.xlsx [--relatives relatives.csv]
                       [--rules RULES.json] [--timezone ZONE] [--map COLUMN=FIELD …]
                       --out flags.json

runs with no database and writes ``{"flags": [{"entry_id", "kind", "score", "related_to",
"evidence": [...]}], "stats": {...}}``. The files are CSV (any encoding and delimiter Excel
writes) or ``.xlsx``, with headers in English, Russian or Ukrainian (:mod:`contest.cli.reading`
for the options). For each file it says on standard error how it was read, how many rows,
people kept, fields warned about and rows refused, and the first reasons; nobody is left out
for a field that cannot be read. A file that read no row, or refused more than half of its
rows, makes it exit 1 without scanning. Throwaway mailboxes count towards a ``bot`` flag
unless the rules given allow them (``defences.disposable_email: allow``), as in a contest's
own scan.

    contest fraud scan --contest SLUG [--out flags.json]

scans a contest's stored entries against its roster and stores the flags for review;
``contest fraud flags SLUG`` lists them and ``contest fraud decide`` confirms or dismisses.
``contest staff import SLUG staff.csv [--relatives relatives.csv]`` loads the roster.
"""

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from contest.cli.context import Context, fail, now, signer, terminal_language
from contest.cli.reading import check, reading, reading_options, show
from contest.csvfile import guard_cell
from contest.errors import ContestError
from contest.fraud.bots import throwaway_test
from contest.fraud.people import PeopleFile, read_entries, read_relatives, read_staff
from contest.fraud.review import KINDS, Decision
from contest.fraud.scan import Progress, scan
from contest.models import LARGEST_INTEGER, FlagStatus
from contest.rules.document import Defences

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from contest.fraud.review import QueuedFlag
    from contest.spreadsheet.table import Reading

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def fraud() -> None:
    """The participant graph: employees, relatives, households, proxies, duplicates."""


@fraud.command("scan")
@click.option("--contest", "contest_slug",
              help="Scan this contest's stored entries and keep the flags for review.")
@click.option("--entries", "entries_file", type=_FILE,
              help="Entries, CSV or .xlsx (each row needs a name or a contact).")
@click.option("--staff", "staff_file", type=_FILE,
              help="Staff roster, CSV or .xlsx (may hold only its header).")
@click.option("--relatives", "relatives_file", type=_FILE,
              help="Declared relatives, CSV or .xlsx.")
@click.option("--rules", "rules_file", type=_FILE,
              help="The contest's rules (JSON): entry limits, countries and time zone.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write flags.json ('-' for standard output).")
@reading_options
@click.pass_context
def scan_command(click_context: click.Context, contest_slug: str | None,
                 entries_file: Path | None, staff_file: Path | None,
                 relatives_file: Path | None, rules_file: Path | None,
                 out_file: Path | None, mapping: tuple[str, ...], zone_name: str | None,
                 dates: str | None) -> None:
    """Flag entrants who are staff, their relatives or household, proxies or duplicates."""
    from contest.rules.parse import parse_rules

    if contest_slug is not None:
        if (entries_file or staff_file or relatives_file or rules_file or mapping
                or zone_name or dates):
            raise click.UsageError("--contest scans stored entries: give no files")
        _scan_contest(click_context, contest_slug, out_file)
        return
    for value, option in ((entries_file, "--entries"), (staff_file, "--staff"),
                          (out_file, "--out")):
        if value is None:
            raise click.UsageError(f"Missing option '{option}' (or scan a stored contest "
                                   "with --contest SLUG).")
    assert entries_file is not None and staff_file is not None and out_file is not None
    language = terminal_language()
    try:
        per_person, region, month_first = 1, None, False
        disposable = throwaway_test(Defences())  # the rules' default: flag them
        if rules_file is not None:
            rules = parse_rules(json.loads(rules_file.read_text(encoding="utf-8")))
            per_person = rules.limits.per_person
            region = rules.eligibility.countries[0] if rules.eligibility.countries else None
            month_first = rules.eligibility.countries == ("US",)
            disposable = throwaway_test(rules.defences)
    except ContestError as error:
        raise fail(error) from None
    except ValueError as error:  # the rules file is not JSON
        raise click.BadParameter(str(error), param_hint="--rules") from None

    def how(file: str) -> "Reading":
        return reading(mapping, zone_name, dates, file=file, main=file == "entries",
                       month_first=month_first)

    try:
        staff = read_staff(staff_file.read_bytes(), name=staff_file.name, reading=how("staff"))
        relatives = (read_relatives(relatives_file.read_bytes(), staff.people,
                                    name=relatives_file.name, reading=how("relatives"))
                     if relatives_file else PeopleFile())
        entrants = read_entries(entries_file.read_bytes(), name=entries_file.name,
                                reading=how("entries"))
    except ContestError as error:
        raise fail(error) from None
    files = {entries_file.name: entrants.report, staff_file.name: staff.report}
    if relatives_file is not None:
        files[relatives_file.name] = relatives.report
    for name, report in files.items():
        show(name, report, language)
    check(files, language)

    with _progress_bar() as advance:
        result = scan(entrants.people, staff.people, relatives.people, per_person=per_person,
                      default_region=region, progress=advance, disposable=disposable)
    _write(result.to_data(), out_file)
    kinds = ", ".join(f"{kind} {count}" for kind, count in result.stats["by_kind"].items())
    click.echo(f"{result.stats['flags']} flags ({kinds}) among {len(entrants.people)} entries "
               f"in {result.stats['seconds']} s", err=True)


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """Progress bars on standard error for a scan (see :data:`Progress`): one for the people
    profiled, then one for the detectors, labelled with the one at work."""
    with ExitStack() as bars:
        bar: ProgressBar[int] | None = None

        def advance(stage: str, done: int, total: int) -> None:
            nonlocal bar
            if bar is None or total != bar.length or done < bar.pos:
                bars.close()
                bar = bars.enter_context(click.progressbar(
                    length=total, label=stage, file=sys.stderr, show_pos=True))
            bar.label = stage
            bar.update(done - bar.pos)

        yield advance


def _write(document: object, out_file: Path) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1)
    if str(out_file) == "-":
        click.echo(text)
    else:
        out_file.write_text(text + "\n", encoding="utf-8")


def _scan_contest(click_context: click.Context, slug: str, out_file: Path | None) -> None:
    from contest.fraud.review import flag_queue, scan_contest
    from contest.rules.publishing import find_contest

    context = click_context.ensure_object(Context)
    with context.session() as session:
        contest = find_contest(session, slug)
        with _progress_bar() as advance:
            summary = scan_contest(session, contest=contest, now=now(), progress=advance)
        if out_file is not None:
            _write({"flags": [_flag_data(item) for item in flag_queue(
                session, contest=contest, limit=10**9)]}, out_file)
    kinds = ", ".join(f"{kind} {count}" for kind, count in summary.by_kind.items())
    click.echo(f"{summary.open_flags} open flags ({kinds}) among {summary.entries} entries; "
               f"{summary.already_decided} found again were decided before; "
               f"{summary.seconds} s", err=True)


def _flag_data(item: "QueuedFlag") -> dict[str, object]:
    return {"id": item.flag.id, "entry_id": item.entry.ticket, "kind": item.flag.kind,
            "score": item.flag.score, "related_to": item.flag.related_to,
            "status": item.flag.status, "evidence": item.evidence}


@fraud.command("flags")
@click.argument("contest_slug")
@click.option("--kind", type=click.Choice(KINDS), help="Only flags of this kind.")
@click.option("--status", type=click.Choice([s.value for s in FlagStatus]), default="open",
              show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the flags as JSON.")
@click.pass_context
def flags_command(click_context: click.Context, contest_slug: str, kind: str | None,
                  status: str, as_json: bool) -> None:
    """List a contest's flags, highest score first."""
    from contest.fraud.review import flag_queue
    from contest.rules.publishing import find_contest

    context = click_context.ensure_object(Context)
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        queue = flag_queue(session, contest=contest, kind=kind, status=FlagStatus(status),
                           limit=10**9)
        if as_json:
            _write({"flags": [_flag_data(item) for item in queue]}, Path("-"))
            return
        # Tab-separated, so often pasted into a spreadsheet: a staff id is the sponsor's text.
        for item in queue:
            click.echo(f"{item.flag.id}\t{item.flag.kind}\t{item.flag.score:.3f}\t"
                       f"{item.entry.ticket}\t{guard_cell(item.flag.related_to)}")


@fraud.command("decide")
@click.argument("contest_slug")
@click.argument("flag_ids", nargs=-1, type=click.IntRange(1, LARGEST_INTEGER), required=True)
@click.option("--confirm", "decision", flag_value=Decision.CONFIRM.value,
              help="The entry is excluded, with the flag's kind as the reason.")
@click.option("--dismiss", "decision", flag_value=Decision.DISMISS.value,
              help="The flag is wrong (say why with --reason).")
@click.option("--reason", default="", help="The written reason (required to dismiss).")
@click.pass_context
def decide_command(click_context: click.Context, contest_slug: str, flag_ids: tuple[int, ...],
                   decision: str | None, reason: str) -> None:
    """Confirm or dismiss flags, as the auditor."""
    from contest.fraud.review import decide
    from contest.rules.publishing import find_contest

    if decision is None:
        raise click.UsageError("say --confirm or --dismiss")
    context = click_context.ensure_object(Context)
    with context.session() as session:
        decided = decide(session, contest=find_contest(session, contest_slug),
                         flag_ids=list(flag_ids), decision=Decision(decision), reason=reason,
                         actor_id=None, now=now(), signer=signer(context))
    click.echo(f"{len(decided)} flags {decided[0].status}")


@click.group()
def staff() -> None:
    """The sponsor's staff roster and their declared relatives."""


@staff.command("import")
@click.argument("contest_slug")
@click.argument("staff_file", type=_FILE, required=False)
@click.option("--relatives", "relatives_file", type=_FILE,
              help="Declared relatives, CSV or .xlsx.")
@reading_options
@click.pass_context
def staff_import(click_context: click.Context, contest_slug: str, staff_file: Path | None,
                 relatives_file: Path | None, mapping: tuple[str, ...], zone_name: str | None,
                 dates: str | None) -> None:
    """Import a staff roster (CSV or .xlsx) and/or declared relatives for a contest.

    Says how each file was read and the first reasons; a file that read no row or refused
    more than half of them imports nothing and exits 1."""
    from contest.fraud.roster import import_roster
    from contest.rules.publishing import find_contest

    if staff_file is None and relatives_file is None:
        raise click.UsageError("give a staff roster file, --relatives, or both")
    language = terminal_language()
    context = click_context.ensure_object(Context)
    given = {"staff": staff_file, "relatives": relatives_file}
    names = {which: path.name for which, path in given.items() if path is not None}
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        report = import_roster(
            session, contest=contest,
            staff=staff_file.read_bytes() if staff_file else None,
            relatives=relatives_file.read_bytes() if relatives_file else None, now=now(),
            names=names, reading=reading(mapping, zone_name, dates, file="staff",
                                         main=staff_file is not None),
            relatives_reading=reading(mapping, zone_name, dates, file="relatives",
                                      main=staff_file is None))
        files = {names[which]: read for which, read in report.files.items()}
        for name, read in files.items():
            show(name, read, language)
        if report.failed:
            session.rollback()
            check(files, language)
    click.echo(report.summary(language))
