"""What may not be published: placeholder text and example domains.

A new contest's draft is complete and valid (:mod:`contest.rules.starter`), so that a
marketer can preview it at once; the parts only the marketer knows are placeholders marked
"(replace me)" in the contest's language. Published rules are permanent and fingerprinted,
so publishing (:func:`contest.rules.publishing.publish`) refuses any text still holding a
placeholder marker, and any address at a domain reserved for examples, which reaches no one:
``example.com``, ``example.org``, ``example.net`` and their subdomains, and the top-level
domains ``.example``, ``.test``, ``.invalid`` and ``.localhost`` and ``localhost`` itself
(RFC 2606, RFC 6761). A social source's post or community that is still the example id the
validation shows (:data:`~contest.rules.parse.POSTS`, :data:`~contest.rules.parse.COMMUNITIES`,
which the repost giveaway's draft starts with) is refused too: it is a real id's form, but
nobody's contest.
"""

import re
from collections.abc import Iterator
from typing import Any

from contest.errors import FieldError
from contest.i18n import N_
from contest.rules.document import RulesDocument
from contest.rules.parse import COMMUNITIES, POSTS

PLACEHOLDER_MARKERS = {"en": "(replace me)", "ru": "(заменить)", "uk": "(замінити)"}
"""The mark a placeholder carries, in each language of the rules."""

EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
EXAMPLE_TOP_LEVEL = ("example", "test", "invalid", "localhost")

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# A host name: labels joined by dots, not part of a longer word or host (so "myexample.com"
# is not "example.com"), or "localhost" on its own.
_HOST = re.compile(rf"(?<![\w.-])(?:{_LABEL}\.)+{_LABEL}\.?(?![\w-])"
                   r"|(?<![\w.-])localhost(?![\w.-])", re.IGNORECASE)


def placeholder(text: str) -> str | None:
    """The placeholder marker ``text`` holds, if any."""
    folded = text.casefold()
    for marker in PLACEHOLDER_MARKERS.values():
        if marker in folded:
            return marker
    return None


def example_domains(text: str) -> list[str]:
    """The example domains ``text`` names (lower-cased, in order): ``complaints@example.com``
    names ``example.com``; ``examples.com`` and ``test.ru`` name none."""
    found = []
    for match in _HOST.finditer(text):
        host = match.group(0).rstrip(".").lower()
        labels = host.split(".")
        if (labels[-1] in EXAMPLE_TOP_LEVEL
                or any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS)):
            if host not in found:
                found.append(host)
    return found


def placeholder_errors(rules: RulesDocument) -> list[FieldError]:
    """One error for each placeholder and each example domain in ``rules``, on its field."""
    errors: list[FieldError] = []
    for path, text in _texts(rules.to_data(), ""):
        if placeholder(text) is not None:
            errors.append(FieldError(
                path, "placeholder",
                N_("still holds the placeholder “{text}”: replace it with the real text"),
                {"text": _shortened(text)}))
        for domain in example_domains(text):
            errors.append(FieldError(
                path, "example_domain",
                N_("names {domain}, an example domain that reaches no one: give a real "
                   "address"), {"domain": domain}))
    for index, source in enumerate(rules.sources):
        post, community = POSTS.get(source.network), COMMUNITIES.get(source.network)
        if post is not None and source.post == post[1]:
            errors.append(FieldError(
                f"sources.{index}.post", "placeholder",
                N_("is the example {value}: give the id of the contest's own post"),
                {"value": source.post}))
        if community is not None and source.community == community[1]:
            errors.append(FieldError(
                f"sources.{index}.community", "placeholder",
                N_("is the example {value}: give the contest's own community or channel"),
                {"value": source.community}))
    return errors


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}.{index}")


def _shortened(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"
