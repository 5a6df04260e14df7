"""``contest fraud scan``: the participant-graph scan on CSV files, with no database.

    contest fraud scan --entries entries.csv --staff staff.csv [--relatives relatives.csv]
                       [--rules RULES.json] --out flags.json

writes ``{"flags": [{"entry_id", "kind", "score", "related_to", "evidence": [...]}],
"stats": {...}}``. Rejected rows are reported on standard error (line, column, reason) and
left out; the scan goes on with the rest, as an entries import does.
"""

import json
import sys
from pathlib import Path

import click

from contest.csvfile import RowError
from contest.errors import ContestError
from contest.fraud.people import People, read_entries, read_relatives, read_staff
from contest.fraud.scan import scan

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def fraud() -> None:
    """The participant graph: employees, relatives, households, proxies, duplicates."""


@fraud.command("scan")
@click.option("--entries", "entries_file", type=_FILE, required=True,
              help="Entries CSV (entry_id and full_name required, the rest may be empty).")
@click.option("--staff", "staff_file", type=_FILE, required=True,
              help="Staff roster CSV (may hold only its header).")
@click.option("--relatives", "relatives_file", type=_FILE, help="Declared relatives CSV.")
@click.option("--rules", "rules_file", type=_FILE,
              help="The contest's rules (JSON): entry limits and countries.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Where to write flags.json ('-' for standard output).")
def scan_command(entries_file: Path, staff_file: Path, relatives_file: Path | None,
                 rules_file: Path | None, out_file: Path) -> None:
    """Flag entrants who are staff, their relatives or household, proxies or duplicates."""
    from contest.cli import fail, terminal_language
    from contest.rules.parse import parse_rules

    language = terminal_language()
    try:
        per_person, region = 1, None
        if rules_file is not None:
            rules = parse_rules(json.loads(rules_file.read_text(encoding="utf-8")))
            per_person = rules.limits.per_person
            region = rules.eligibility.countries[0] if rules.eligibility.countries else None
        staff = _report(staff_file, read_staff(staff_file.read_bytes()), language)
        relatives = (_report(relatives_file, read_relatives(
            relatives_file.read_bytes(), staff.people), language)
            if relatives_file else People())
        entrants = _report(entries_file, read_entries(entries_file.read_bytes()), language)
    except ContestError as error:
        raise fail(error) from None
    except ValueError as error:  # the rules file is not JSON
        raise click.BadParameter(str(error), param_hint="--rules") from None

    total = len(entrants.people) + len(staff.people) + len(relatives.people)
    with click.progressbar(length=total, label="profiling", file=sys.stderr,
                           show_pos=True) as bar:
        state = {"done": 0}

        def advance(done: int, _total: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        result = scan(entrants.people, staff.people, relatives.people, per_person=per_person,
                      default_region=region, progress=advance)
    document = json.dumps(result.to_data(), ensure_ascii=False, indent=1)
    if str(out_file) == "-":
        click.echo(document)
    else:
        out_file.write_text(document + "\n", encoding="utf-8")
    kinds = ", ".join(f"{kind} {count}" for kind, count in result.stats["by_kind"].items())
    click.echo(f"{result.stats['flags']} flags ({kinds}) among {len(entrants.people)} entries "
               f"in {result.stats['seconds']} s", err=True)


def _report(path: Path, people: People, language: str) -> People:
    rejected: list[RowError] = people.rejected
    for error in rejected[:20]:
        click.echo(f"{path.name}: line {error.line}, {error.column or 'row'}: "
                   f"{error.text(language)}", err=True)
    if len(rejected) > 20:
        click.echo(f"{path.name}: … and {len(rejected) - 20} more rejected fields", err=True)
    return people
