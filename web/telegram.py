"""The Telegram bot's webhook: Telegram posts each of the bot's updates here once
``contest telegram webhook SLUG`` set it (:mod:`contest.sources.telegram`).

``POST /telegram/<slug>/webhook`` of a published contest whose rules name a Telegram source
(else a 404, as every public page of a contest not published) takes an update only with the
secret the webhook was set with, in the ``X-Telegram-Bot-Api-Secret-Token`` header (an HMAC
of the slug under the app's secret key, compared in constant time); anything else is a 403.
The update is answered as the long-polling bot answers it — the entry committed, then the
bot's messages sent — and the request is answered 200 with an empty body, so Telegram does
not send it again (https://core.telegram.org/bots/api#setwebhook).
"""

import time

from flask import Blueprint, Flask, abort, current_app, request

from contest.errors import NetworkUnavailable
from contest.sources.telegram import (
    Deployment,
    bot_api,
    contest_for_bot,
    deep_link,
    handle,
    is_update,
    is_webhook_secret,
    parse_update,
)
from web import database
from web.auth import csrf
from web.clock import now
from web.keys import secret_key
from web.transparency import signer

blueprint = Blueprint("telegram", __name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def init_app(app: Flask) -> None:
    csrf.exempt(blueprint)  # Telegram proves itself with the secret header, not a form token
    app.register_blueprint(blueprint)


@blueprint.post("/telegram/<slug>/webhook")
def webhook(slug: str) -> tuple[str, int]:
    contest_for_bot(database.session(), slug)  # a 404 as everywhere for a contest not public
    if not is_webhook_secret(secret_key(), slug, request.headers.get(SECRET_HEADER, "")):
        abort(403)
    deployment = Deployment(current_app.config["BASE_URL"], secret_key(), signer(), slug)
    body = request.get_json(silent=True)
    if not is_update(body):
        abort(400)
    with bot_api(current_app.config["NETWORKS"], sleep=time.sleep) as api:
        update = parse_update(api, body)
        if update is not None:  # one the bot cannot read is skipped, not sent again
            handle(database.session(), api, update, deployment=deployment, now=now())
    return "", 200


def bot_link(slug: str) -> str | None:
    """The link that opens the contest's bot (``https://t.me/<bot>?start=<slug>``), for the
    contest's page; ``None`` when no bot is set up or Telegram cannot say its name now. The
    bot's name is asked once per process (``getMe``)."""
    username_link = current_app.extensions.get("contest.telegram_link")
    if username_link is None:
        settings = current_app.config["NETWORKS"]
        if not settings.telegram_bot_token:
            return None
        try:
            with bot_api(settings, sleep=time.sleep) as api:
                username_link = deep_link(api, "")
        except NetworkUnavailable as error:
            current_app.logger.warning("the contest page shows no bot link: %s", error)
            return None
        current_app.extensions["contest.telegram_link"] = username_link
    return f"{username_link}{slug}"
