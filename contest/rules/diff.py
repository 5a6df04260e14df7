"""What changed between two rules versions, field by field, for the public rules page.

Works on the plain JSON data of :meth:`RulesDocument.to_data`: objects are compared key by
key, lists of objects (prizes, agencies, sections) item by item, and a field or item present
on one side only shows ``None`` on the other; a list of plain values (countries, regions,
family ties) changes as a whole. :func:`field_label` names a changed field in words
("Prize 1: quantity"), for people who never see the JSON.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contest.i18n import N_, translate


@dataclass(frozen=True)
class Change:
    """One changed field: ``path`` is dotted, such as ``prizes.0.quantity``."""

    path: str
    before: Any
    after: Any


def rules_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every change from ``before`` to ``after``, in document order."""
    changes: list[Change] = []
    _compare("", before, after, changes)
    return changes


def _compare(path: str, before: Any, after: Any, changes: list[Change]) -> None:
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        keys = list(before) + [key for key in after if key not in before]
        for key in keys:
            _compare(_at(path, key), before.get(key), after.get(key), changes)
    elif (isinstance(before, list) and isinstance(after, list)
          and any(isinstance(item, Mapping) for item in before + after)):
        for index in range(max(len(before), len(after))):
            _compare(
                _at(path, index),
                before[index] if index < len(before) else None,
                after[index] if index < len(after) else None,
                changes,
            )
    elif before != after or type(before) is not type(after):
        changes.append(Change(path, before, after))


def _at(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


FIELD_NAMES = {
    "schema": N_("format of the rules"), "language": N_("language of the rules"),
    "title": N_("title"), "sponsor": N_("sponsor"), "organiser": N_("organiser"),
    "legal_name": N_("legal name"), "address": N_("address"), "contact": N_("contact"),
    "period": N_("entry period"), "timezone": N_("time zone"),
    "opens_at": N_("entries open"), "closes_at": N_("entries close"),
    "draw_at": N_("draw"), "eligibility": N_("who may enter"), "min_age": N_("minimum age"),
    "legal_min_age": N_("minimum age by law"), "max_age": N_("maximum age"),
    "countries": N_("countries"), "regions": N_("regions"),
    "residency_required": N_("residence required"), "exclusions": N_("who may not enter"),
    "employees": N_("the sponsor's employees"),
    "agency_employees": N_("the organiser's and agencies' employees"),
    "family": N_("family members"), "household": N_("household members"),
    "limits": N_("entry limits"), "per_person": N_("entries per person"),
    "per_household": N_("entries per household"), "per_day": N_("entries per person per day"),
    "counts": N_("which entries count"), "prizes": N_("prizes"), "name": N_("name"),
    "quantity": N_("quantity"), "retail_value": N_("retail value"),
    "cash_alternative": N_("cash alternative"), "amount": N_("amount"),
    "currency": N_("currency"), "winners": N_("number of winners"),
    "alternates": N_("number of alternates"), "selection": N_("how winners are chosen"),
    "method": N_("draw protocol"), "randomness": N_("public randomness"),
    "details": N_("details"), "announcement": N_("notification and publication"),
    "notify_by": N_("winners notified by"), "notify_within_days": N_("days to notify winners"),
    "publish_on": N_("results published on"), "name_format": N_("how winners are named"),
    "claim_days": N_("days to claim a prize"), "complaints": N_("complaints"),
    "channel": N_("where to send complaints"),
    "response_business_days": N_("business days to answer a complaint"),
    "agencies": N_("agencies"), "sections": N_("legal sections"), "kind": N_("kind"),
    "text": N_("text"),
    "sources": N_("how to enter in the social networks"), "network": N_("network"),
    "post": N_("post"), "community": N_("community or channel"),
    "conditions": N_("conditions"), "at_least": N_("accounts to tag, at least"),
}
"""Each field of the rules' JSON data, by its key, in words."""

ITEM_NAMES = {"prizes": N_("prize {number}"), "agencies": N_("agency {number}"),
              "sections": N_("section {number}"), "sources": N_("source {number}"),
              "conditions": N_("condition {number}")}
"""An item of a list of objects, by the list's key; ``number`` counts from 1."""


def field_label(path: str, language: str) -> str:
    """The field at dotted ``path`` in words: ``prizes.0.quantity`` → "Prize 1: quantity"."""
    parts = path.split(".")
    words: list[str] = []
    for index, part in enumerate(parts):
        if part.isdigit():
            continue
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if part in ITEM_NAMES and following.isdigit():
            words.append(translate(ITEM_NAMES[part], language, {"number": int(following) + 1}))
        else:
            words.append(translate(FIELD_NAMES.get(part, part), language))
    text = ": ".join(words)
    return text[:1].upper() + text[1:]
