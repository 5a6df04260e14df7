"""``contest sources``: read the social network sources the rules name, and accept a gap.

``contest sources read SLUG`` reads every VK and Instagram source of the contest's rules (a
Telegram bot takes its entries itself) into the contest's entries and says, per list, what it
read against what the network reports. A read that is incomplete is said loudly and exits 1:
the freeze waits until the source is read again whole, or ``contest sources accept-gap``
accepts the gap for a public reason.
"""

from typing import TYPE_CHECKING

import click

from contest.cli.context import Context, fail, now, pass_context, signer, terminal_language
from contest.errors import NotFound
from contest.i18n import N_, translate
from contest.rules.document import Network

if TYPE_CHECKING:
    from contest.sources.reading import SourceReport


@click.group()
def sources() -> None:
    """The social networks a contest takes its entries from (VK, Telegram, Instagram)."""


@sources.command("read")
@click.argument("contest_slug")
@click.option("--source", "number", type=click.IntRange(min=1), default=None,
              help="Read only this source (1 is the rules' first); all by default.")
@pass_context
def read(context: Context, contest_slug: str, number: int | None) -> None:
    """Read the contest's sources into its entries; print what was read against what the
    network reports. Exit 1 if a read is incomplete."""
    from contest.rules.publishing import find_contest
    from contest.rules.versions import find_published
    from contest.sources.reading import read_source
    from contest.sources.registry import readers

    language = terminal_language()
    incomplete = False
    found_readers = readers(context.settings.networks)
    with context.session() as session:
        contest = find_contest(session, contest_slug)
        published = find_published(session, contest)
        named = published.rules.sources if published else ()
        if number is not None and number > len(named):
            raise fail(NotFound(N_("the rules of {slug} name no source {source}"),
                                {"slug": contest_slug, "source": number}))
        for index, social in enumerate(named):
            if number is not None and index + 1 != number:
                continue
            if social.network == Network.TELEGRAM:
                click.echo(translate(N_("source {source} (telegram): entries come through the "
                                        "bot as people press Participate"), language,
                                     {"source": index + 1}))
                continue
            report = read_source(session, contest=contest, source=index,
                                 readers=found_readers, now=now(),
                                 signer=signer(context))
            session.commit()  # a network that fails later takes nothing read before
            _say(report, index, social.network, contest_slug, language)
            incomplete = incomplete or not report.read.complete
    if incomplete:
        raise click.exceptions.Exit(1)


def _say(report: "SourceReport", index: int, network: Network, slug: str,
         language: str) -> None:
    lists = "; ".join(
        translate(N_("{name} {read} of {reported}"), language,
                  {"name": item.name, "read": f"{item.read:,}",
                   "reported": "?" if item.reported is None else f"{item.reported:,}"})
        for item in report.network_read.lists)
    click.echo(translate(N_("source {source} ({network}): {lists}"), language,
                         {"source": index + 1, "network": network.value, "lists": lists}))
    click.echo(translate(N_("  {people} people found: {taken} new entries, {before} taken "
                            "before, {refused} refused; {unmet} did not meet a condition"),
                         language, {"people": len(report.network_read.people),
                                    "taken": report.taken, "before": report.before,
                                    "refused": report.refused, "unmet": report.unmet}))
    for code, count in sorted(report.network_read.problems.items()):
        click.echo(translate(N_("  {count} could not be checked: {reason}"), language,
                             {"count": count, "reason": code}))
    if not report.read.complete:
        click.echo(translate(N_(
            "source {source} was read INCOMPLETE: the freeze waits until it is read again "
            "whole, or the gap is accepted for a public reason: contest sources accept-gap "
            "{slug} --source {source} --reason private_items|deleted_during_read|"
            "network_limit"), language, {"source": index + 1, "slug": slug}), err=True)


@sources.command("accept-gap")
@click.argument("contest_slug")
@click.option("--source", "number", type=click.IntRange(min=1), required=True,
              help="The source whose latest read is incomplete (1 is the rules' first).")
@click.option("--reason", required=True,
              help="A public code: private_items, deleted_during_read or network_limit.")
@pass_context
def accept_gap_command(context: Context, contest_slug: str, number: int, reason: str) -> None:
    """Accept the latest incomplete read of a source, for a public reason."""
    from contest.rules.publishing import find_contest
    from contest.sources.reading import accept_gap

    with context.session() as session:
        read = accept_gap(session, contest=find_contest(session, contest_slug),
                          source=number - 1, reason=reason, now=now(), signer=signer(context))
        click.echo(translate(N_("the gap of source {source} is accepted: {reason}"),
                             terminal_language(), {"source": number, "reason": read.gap_reason}))
