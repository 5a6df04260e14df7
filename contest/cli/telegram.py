"""``contest telegram``: the contest's Telegram bot, the entry form in Telegram
(:mod:`contest.sources.telegram`).

``run SLUG`` answers the bot's updates by long polling until interrupted (``--once``: one
round); ``webhook SLUG`` asks Telegram to send them to the app's webhook instead
(``POST /telegram/<slug>/webhook``), with the secret derived from the app's secret key.
The bot's module (and python-telegram-bot) is imported by these commands only, so every
other command starts as fast as before.
"""

import time

import click

from contest.cli.context import Context, fail, now, pass_context, signer
from contest.errors import ContestError

POLL_SECONDS = 30
"""How long one getUpdates waits for an update (long polling), by default."""


@click.group()
def telegram() -> None:
    """The contest's Telegram bot: entries through Telegram."""


@telegram.command("run")
@click.argument("slug")
@click.option("--once", is_flag=True, help="Answer one round of updates, then stop.")
@click.option("--timeout", type=click.IntRange(0, 50), default=POLL_SECONDS,
              show_default=True, help="Seconds one getUpdates waits for an update.")
@pass_context
def run(context: Context, slug: str, once: bool, timeout: int) -> None:
    """Answer the bot's updates (long polling) until interrupted; a bare /start means
    contest SLUG."""
    from contest.sources.telegram import Deployment, bot_api, contest_for_bot, serve

    settings = context.settings
    with context.session() as session:
        contest_for_bot(session, slug)
    deployment = Deployment(settings.base_url, settings.secret_key.encode(), signer(context),
                            slug)
    answered = 0
    try:
        with bot_api(settings.networks, sleep=time.sleep) as api:
            answered = serve(context.session, api, deployment=deployment, clock=now,
                             timeout=timeout, rounds=1 if once else None, sleep=time.sleep)
    except ContestError as error:
        raise fail(error) from None
    except KeyboardInterrupt:
        pass
    click.echo(f"answered {answered} update(s)")


@telegram.command("webhook")
@click.argument("slug")
@pass_context
def webhook(context: Context, slug: str) -> None:
    """Have Telegram send the bot's updates to this app's webhook for contest SLUG."""
    from contest.sources.telegram import bot_api, contest_for_bot, set_webhook

    settings = context.settings
    with context.session() as session:
        contest_for_bot(session, slug)
    try:
        with bot_api(settings.networks, sleep=time.sleep) as api:
            url = set_webhook(api, base_url=settings.base_url,
                              secret_key=settings.secret_key.encode(), slug=slug)
    except ContestError as error:
        raise fail(error) from None
    click.echo(f"webhook set: {url}")
