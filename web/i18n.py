"""The person's language: chosen on the page, else from the browser (Flask-Babel); and the
template filters that write dates, money, countries and codes in it."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_currency, format_decimal
from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from werkzeug.wrappers.response import Response

from contest.entries.submission import COLUMNS as ENTRY_COLUMNS
from contest.fraud.people import RELATION_NAMES, RELATIVE_COLUMNS, STAFF_COLUMNS
from contest.fraud.picture import evidence_label
from contest.fraud.review import STATUS_NAMES
from contest.i18n import LANGUAGES, TRANSLATIONS_DIR, Message, translate
from contest.models import Contest
from contest.randomness import SOURCE_NAMES, RandomnessSource
from contest.rules.diff import Change, field_label
from contest.rules.document import ConditionKind, Money, Network
from contest.rules.how_to_enter import (
    CONDITION_NAMES,
    NETWORK_NAMES,
    source_from_data,
    source_words,
)
from contest.rules.regions import region_written
from contest.rules.status import STATUS_WORDS, ContestStatus
from contest.rules.versions import find_published
from contest.spreadsheet.columns import NamePart
from contest.zones import zone_label
from web import database
from web.clock import now
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
    app.jinja_env.filters.update(moment=page_moment, duration=duration, day=day, money=money,
                                 country=country, relation=relation)
    app.jinja_env.filters["grouped"] = grouped
    app.jinja_env.globals["status_word"] = status_word
    app.jinja_env.filters["period"] = period
    app.jinja_env.filters["zone_name"] = zone_name
    app.jinja_env.globals["language_name"] = language_name
    app.jinja_env.globals["randomness_words"] = randomness_words
    app.jinja_env.globals["change_label"] = change_label
    app.jinja_env.globals["change_value"] = change_value
    app.jinja_env.globals["evidence_words"] = evidence_words
    app.jinja_env.globals["flag_status"] = flag_status
    app.jinja_env.globals["role_name"] = role_name
    app.jinja_env.globals["channel_name"] = channel_name
    app.jinja_env.globals.update(network_name=network_name, list_name=list_name,
                                 problem_text=problem_text, condition_words=condition_words)
    app.jinja_env.filters["kinship"] = kinship
    app.jinja_env.filters["region"] = region
    app.jinja_env.filters["said"] = said
    app.jinja_env.filters["fields_in_code"] = fields_in_code


def said(message: Message) -> Markup:
    """The ``said`` filter: a domain's :class:`~contest.i18n.Message` (how a file was read,
    say) in the page's language, the names of fields in it as code."""
    return fields_in_code(translate(message.text, current_language(), message.params))


_FIELD_NAMES = sorted({*ENTRY_COLUMNS, *STAFF_COLUMNS, *RELATIVE_COLUMNS, *NamePart},
                      key=len, reverse=True)
_FIELD_NAME = re.compile(r"(?<![\w@.-])(?:" + "|".join(map(re.escape, _FIELD_NAMES))
                         + r")(?![\w@-]|\.\w)")


def fields_in_code(text: str) -> Markup:
    """``text`` escaped, each name of a field in it (``full_name``, ``staff_id``) as
    ``<code>``: a machine name the page does not translate, shown as one."""
    return Markup(_FIELD_NAME.sub(lambda found: f"<code>{found.group()}</code>",
                                  str(escape(text))))


@pass_context
def page_moment(context: Context, value: datetime | None, zone: str | None = None) -> str:
    """The ``moment`` filter: in ``zone`` when the template names one, else in the zone of
    the page's ``zone`` or of its ``contest`` (the sponsor's, of its current rules), so
    every moment on a page about a contest is in the zone its rules are written in."""
    return moment(value, zone or _page_zone(context))


def _page_zone(context: Context) -> str:
    named = context.get("zone")
    if isinstance(named, str) and named:
        return named
    contest = context.get("contest")
    if not isinstance(contest, Contest) or contest.id is None:
        return "UTC"
    zones: dict[int, str] = g.setdefault("contest_zones", {})
    if contest.id not in zones:
        found = find_published(database.session(), contest)
        zones[contest.id] = found.rules.period.timezone if found else "UTC"
    return zones[contest.id]


def moment(value: datetime | None, zone: str = "UTC") -> str:
    """``value`` in ``zone``, the zone named as people name it: "7 грудня 2026 р., 14:00
    Київ (UTC+02:00)" (:func:`contest.zones.zone_label`, its offset at that moment)."""
    if value is None:
        return ""
    locale = str(get_locale())
    shown = format_datetime(value, "d MMMM y, HH:mm", tzinfo=ZoneInfo(zone), locale=locale)
    return f"{shown} {zone_label(zone, locale, value)}"


def status_word(status: str) -> str:
    """The one word a contest's status is said with on every page
    (:data:`contest.rules.status.STATUS_WORDS`), in the page's language."""
    try:
        return _(STATUS_WORDS[ContestStatus(status)])
    except ValueError:
        return status


def grouped(value: int) -> str:
    """A whole number with the locale's digit groups: 1,000,000 or 1 000 000."""
    return format_decimal(value, locale=str(get_locale()))


def period(opens_at: datetime, closes_at: datetime, zone: str = "UTC") -> str:
    """From ``opens_at`` to ``closes_at`` in ``zone``, the zone named once as people say it:
    "1 December 2026, 11:00 — 31 December 2026, 11:00, Kyiv (UTC+02:00)"."""
    language = str(get_locale())
    ends = [format_datetime(value, "d MMMM y, HH:mm", tzinfo=ZoneInfo(zone), locale=language)
            for value in (opens_at, closes_at)]
    return f"{ends[0]} — {ends[1]}, {zone_label(zone, language, opens_at)}"


def zone_name(zone: str, at: datetime | None = None) -> str:
    """``zone`` as people name it in the page's language, with its offset at ``at`` (now,
    unless given): "Москва (UTC+03:00)" for Europe/Moscow."""
    return zone_label(zone, str(get_locale()), at or now())


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


def region(code: str) -> str:
    """An ISO 3166-2 region by its name in the page's language ("RU-MOW" → "Москва")."""
    return region_written(code, str(get_locale()))


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
             "moment_unknown": _("brought in with a moment of entry that could not be read"),
             "contact_unknown": _("brought in with no e-mail, phone or account to reach them"),
             "condition_unmet": _("did not meet a condition of the rules in the social "
                                  "network"),
             "unconfirmed": _("the e-mail address was not confirmed before the close"),
             "employee": _("the sponsor's or an agency's employee"),
             "relative": _("an employee's relative"),
             "household": _("lives in an employee's household"),
             "proxy": _("entered on behalf of an employee"),
             "duplicate": _("the same person entered again"),
             "bot": _("entered by a script or a farm of made-up identities")}
    return names.get(code, code)


def flag_kind(code: str) -> str:
    names = {"employee": _("employee"), "relative": _("relative"),
             "household": _("household"), "proxy": _("proxy"),
             "duplicate": _("duplicate"), "bot": _("bot or farm")}
    return names.get(code, code)


def language_name(code: str) -> str:
    """A language's name in the page's language: "ru" → "русский" on a Ukrainian page."""
    name = Locale.parse(str(get_locale())).languages.get(code)
    return name if isinstance(name, str) else code


def randomness_words(source: str) -> str:
    try:
        return _(SOURCE_NAMES[RandomnessSource(source)])
    except ValueError:
        return source


# --- A change between two rules versions, in words (the rules page's version history) ---

def change_label(change: Change) -> str:
    return field_label(change.path, current_language())


def change_value(change: Change, value: Any, zone: str = "UTC") -> str:
    """One side of ``change`` as people read it: money, dates, countries, yes or no."""
    key = next((part for part in reversed(change.path.split(".")) if not part.isdigit()), "")
    if key == "kind" and ".conditions." in change.path:
        key = "condition"
    return _value_words(key, value, zone)


def _value_words(key: str, value: Any, zone: str) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value_words(key, item, zone) for item in value)
    if isinstance(value, dict) and key == "sources":
        return _parsed(value, lambda data: source_words(
            source_from_data(data), current_language()).text)
    if isinstance(value, dict) and key == "conditions":
        return _parsed(value, condition_words)
    if isinstance(value, dict):
        return _object_words(value, zone)
    if key in ("opens_at", "closes_at", "draw_at"):
        return _parsed(value, lambda text: moment(datetime.fromisoformat(text), zone))
    if key == "publish_on":
        return _parsed(value, lambda text: day(date.fromisoformat(text)))
    words = {"countries": country, "family": relation, "randomness": randomness_words,
             "timezone": zone_name, "language": language_name, "kind": section_kind,
             "counts": limit_counts, "regions": region, "network": network_name,
             "condition": lambda kind: _(CONDITION_NAMES[ConditionKind(kind)])}
    if key in words and isinstance(value, str):
        return _parsed(value, words[key])
    return str(value)


def network_name(code: str) -> str:
    """A social network by its name (``vk`` → VK)."""
    return _(NETWORK_NAMES[Network(code)])


def condition_words(data: dict[str, Any]) -> str:
    """A source's condition in words, with the number of accounts a comment must tag."""
    words = _(CONDITION_NAMES[ConditionKind(data["kind"])])
    at_least = data.get("at_least")
    return words if at_least is None else _("%(condition)s: at least %(count)s",
                                            condition=words, count=at_least)


def section_kind(code: str) -> str:
    """A legal section's kind in words, as the wizard offers it."""
    kinds = {"no_purchase": _("No purchase necessary"), "privacy": _("Privacy"),
             "taxes": _("Taxes"), "other": _("Other")}
    return kinds.get(code, code)


def limit_counts(code: str) -> str:
    """Which entries count when a limit is exceeded, in words."""
    return _("the earliest entries") if code == "earliest" else code


def _object_words(value: dict[str, Any], zone: str) -> str:
    if set(value) == {"amount", "currency"}:
        return _parsed(value, lambda data: money(Money(Decimal(data["amount"]),
                                                       data["currency"])))
    if "quantity" in value and "name" in value:  # a prize added or taken away
        worth = _object_words(value["retail_value"], zone) if value.get("retail_value") else ""
        return _("%(name)s × %(quantity)s, worth %(value)s each", name=value["name"],
                 quantity=value["quantity"], value=worth)
    if "legal_name" in value:
        return str(value["legal_name"])
    if "title" in value:
        return str(value["title"])
    return "; ".join(f"{field_label(key, current_language())}: {_value_words(key, item, zone)}"
                     for key, item in value.items())


def _parsed(value: Any, words: Any) -> str:
    """``words(value)``, or the value as stored when it does not read as expected."""
    try:
        return str(words(value))
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return str(value)


# --- Staff pages: the words for stored codes ---

def evidence_words(label: str) -> str:
    """An evidence edge's label in words (:data:`contest.fraud.picture.EDGE_WORDS`)."""
    return evidence_label(label, current_language())


def flag_status(code: str) -> str:
    return _(STATUS_NAMES[code]) if code in STATUS_NAMES else code


def role_name(code: str) -> str:
    names = {"marketer": _("Marketer"), "auditor": _("Auditor"), "admin": _("Administrator")}
    return names.get(code, code)


def kinship(code: str) -> str:
    """A declared relative's tie to the staff member, as the roster names one person."""
    return _(RELATION_NAMES[code]) if code in RELATION_NAMES else code


def channel_name(code: str) -> str:
    names = {"form": _("entry form"), "api": _("API"), "csv": _("file import"),
             "vk": "VK", "telegram": _("Telegram bot"), "instagram": "Instagram"}
    return names.get(code, code)


def list_name(code: str) -> str:
    """A list a source's read counts, in words: "reposts", "comments", "likes"."""
    names = {"reposts": _("reposts"), "comments": _("comments"), "likes": _("likes")}
    return names.get(code, code)


def problem_text(code: str) -> str:
    """Why a network would not tell a condition, in words."""
    names = {"access_denied": _("the network denied access"),
             "deleted_or_banned": _("the account is deleted or banned"),
             "private_profile": _("the profile is private"),
             "not_found": _("the network does not know the account")}
    return names.get(code, code)

