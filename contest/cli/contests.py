"""``contest contests`` and ``contest rules``: contests, their status, and their official rules
(the working draft and the published versions)."""

import json
from pathlib import Path
from typing import Any

import click

from contest.cli.context import Context, fail, now, pass_context, signer, terminal_language
from contest.errors import InvalidInput
from contest.i18n import N_
from contest.json_input import read_json_object


@click.group()
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
              help="A rules draft as JSON; the template's starting draft when left out.")
@click.option("--template", default="blank",
              type=click.Choice(["blank", "repost", "sweepstake", "receipt_code"]),
              help="The kind of contest to start from (without --rules).")
@pass_context
def contests_create(context: Context, slug: str, title: str, language: str,
                    rules_file: Path | None, template: str) -> None:
    """Create a contest with a draft of its rules (SLUG "" makes one from the title)."""
    from contest.rules.publishing import create_contest
    from contest.rules.templates import Template

    draft = _read_rules_file(rules_file) if rules_file else None
    with context.session() as session:
        contest = create_contest(session, slug=slug, language=language, title=title,
                                 actor_id=None, now=now(), draft=draft,
                                 template=Template(template))
        click.echo(f"created {contest.slug} (draft)")


def _read_rules_file(path: Path) -> dict[str, Any]:
    """The rules draft in ``path``, read as the API reads a body (:mod:`contest.json_input`);
    a file that is not a JSON object stops the command, naming the problem."""
    try:
        return read_json_object(
            path.read_bytes(), field=str(path),
            expected=N_("must be a JSON object of rules, such as the command "
                        "\"contest rules show --draft\" prints"),
            refuse=lambda errors: InvalidInput(N_("the rules file cannot be read"), errors))
    except InvalidInput as unreadable:
        raise fail(unreadable) from None


@click.group()
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
    from contest.rules.versions import published_text, require_logged

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
        require_logged(session, contest, version)
        text = published_text(version)
        click.echo(f"# version {version.version}, sha256 {version.sha256}", err=True)
        click.echo(text)


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
                          now=now(), signer=signer(context), reason=reason, note=note)
        click.echo(f"published version {version.version} sha256 {version.sha256}")
