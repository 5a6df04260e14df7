"""The Flask app: a thin layer that parses requests, calls one domain function, renders.

``create_app`` is the one application factory (as in Flask's tutorial); each part registers
itself through its ``init_app``. Configuration comes from :class:`contest.config.Settings`
(instance folder + ``CONTEST_*`` variables), never at import time; a test gives its own
settings in ``test_config`` and the environment is not read.
"""

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from contest.config import Settings
from contest.randomness.drand import DEFAULT_RELAYS
from web.clock import utc_now


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app, configured by :meth:`Settings.load`; or, given ``test_config``, by its
    ``SETTINGS`` (setting names to values, as :meth:`Settings.from_values` reads them) and
    the rest of it as Flask configuration, without reading the environment."""
    settings = (Settings.load() if test_config is None
                else Settings.from_values(test_config.get("SETTINGS", {})))
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        BASE_URL=settings.base_url,
        BASE_URL_GIVEN=settings.base_url_given,
        LOG_ORIGIN=settings.log_origin,
        LOG_SIGNING_KEY_FILE=settings.log_signing_key_file,
        DEFAULT_LANGUAGE=settings.default_language,
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.base_url.startswith("https://"),
        ENTRY_RATE_LIMIT=settings.entry_rate_limit,
        CONTEST_RATE_LIMIT=settings.contest_rate_limit,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        SMTP_URL=settings.smtp_url,
        MAIL_FROM=settings.mail_from,
        DRAND_RELAYS=settings.drand_relays or DEFAULT_RELAYS,
        LOG_INTEGRATE_EVERY=settings.log_integrate_every,
        LOG_MERGE_DELAY=settings.log_merge_delay,
        WITNESSES=settings.witnesses,
        NETWORKS=settings.networks,
        CHALLENGE_DIFFICULTY=settings.challenge_difficulty,
        CLOCK=utc_now,
    )
    if test_config:
        app.config.update(test_config)
    if not settings.base_url_given:
        app.logger.warning(
            "CONTEST_BASE_URL is not set: the log signs its checkpoints and receipts as %s and "
            "mail links to %s. Set CONTEST_BASE_URL to the address the public uses (e.g. "
            "https://contest.example) before the first contest is published: the log's name "
            "cannot change afterwards.", settings.log_origin, settings.base_url)
    if settings.trusted_proxies:
        # The address and scheme the nearest trusted proxies saw; with none trusted a
        # forged X-Forwarded-For is ignored and the peer's address counts.
        proxies = settings.trusted_proxies
        # Flask's documented way to wrap its WSGI app in middleware: assigning the method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies,  # type: ignore[method-assign]
                                x_proto=proxies)

    from web import (
        admin,
        api,
        auditor,
        auth,
        challenge,
        complaints,
        confirmations,
        database,
        draws,
        errors,
        i18n,
        integration,
        marketer,
        postman,
        prizes,
        public,
        query,
        ratelimits,
        security,
        sources,
        telegram,
        transparency,
    )

    for part in (query, database, i18n, auth, errors, security, ratelimits, challenge,
                 transparency,
                 integration, public, api, marketer, prizes, draws, sources, auditor,
                 complaints, confirmations, postman, admin, telegram):
        part.init_app(app)
    # Browsers and feed readers ask for /favicon.ico whatever the page links: a static file.
    app.add_url_rule("/favicon.ico", "static", defaults={"filename": "favicon.ico"})
    return app
