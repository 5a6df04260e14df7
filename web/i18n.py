"""The person's language: chosen on the page, else from the browser (Flask-Babel); and the
template filters that write dates, money, countries and codes in it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_currency
from flask import Flask, current_app, redirect, request, session, url_for
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from werkzeug.wrappers.response import Response

from contest.i18n import LANGUAGES, TRANSLATIONS_DIR
from contest.rules.document import Money
from web.redirects import same_site_path

LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "uk": "Українська"}


def current_language() -> str:
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(LANGUAGES) if request else None
    return best or str(current_app.config["DEFAULT_LANGUAGE"])


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=current_language)
    app.add_url_rule("/language/<code>", "language", choose_language, methods=["POST"])
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["current_language"] = current_language
    register_filters(app)


def choose_language(code: str) -> Response:
    if code in LANGUAGES:
        session["language"] = code
    return redirect(same_site_path(request.form.get("next"), fallback=url_for("public.home")))


def register_filters(app: Flask) -> None:
    """Dates, money and country names formatted for the page's locale."""
    app.jinja_env.globals["reason_text"] = reason_text
    app.jinja_env.globals["flag_kind"] = flag_kind
    app.jinja_env.filters.update(moment=moment, duration=duration, day=day, money=money,
                                 country=country, relation=relation)


def moment(value: datetime | None, zone: str = "UTC") -> str:
    if value is None:
        return ""
    return format_datetime(value, "d MMMM y, HH:mm zzzz", tzinfo=ZoneInfo(zone),
                           locale=str(get_locale()))


def duration(value: timedelta) -> str:
    return format_timedelta(value, threshold=1.5, locale=str(get_locale()))


def day(value: date | None) -> str:
    return format_date(value, "long", locale=str(get_locale())) if value else ""


def money(value: Money | None) -> str:
    if value is None:
        return ""
    return format_currency(value.amount, value.currency, locale=str(get_locale()))


def country(code: str) -> str:
    name = Locale.parse(str(get_locale())).territories.get(code)
    return name if isinstance(name, str) else code


def relation(code: str) -> str:
    names = {"spouse": _("spouse"), "partner": _("partner"), "parent": _("parents"),
             "child": _("children"), "sibling": _("brothers and sisters"),
             "sibling_spouse": _("spouses of brothers and sisters"),
             "child_spouse": _("spouses of children"),
             "parent_spouse": _("spouses of parents")}
    return names.get(code, code)


def reason_text(code: str) -> str:
    names = {"outside_period": _("entered outside the entry period"),
             "submitted_in_future": _("stamped later than it was received"),
             "under_age": _("below the minimum age"),
             "over_age": _("above the maximum age"),
             "age_unknown": _("no date of birth to check the age"),
             "country_unknown": _("no country to check where the entrant lives"),
             "country_not_allowed": _("country not eligible"),
             "region_not_allowed": _("region not eligible"),
             "person_limit": _("more entries than allowed per person"),
             "household_limit": _("more entries than allowed per household"),
             "daily_limit": _("more entries than allowed per day"),
             "employee": _("the sponsor's or an agency's employee"),
             "relative": _("an employee's relative"),
             "household": _("lives in an employee's household"),
             "proxy": _("entered on behalf of an employee"),
             "duplicate": _("the same person entered again")}
    return names.get(code, code)


def flag_kind(code: str) -> str:
    names = {"employee": _("employee"), "relative": _("relative"),
             "household": _("household"), "proxy": _("proxy"),
             "duplicate": _("duplicate")}
    return names.get(code, code)
