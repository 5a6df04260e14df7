"""The entrant's consent to the processing of their personal data, kept with the entry.

Russian law (Federal Law No. 152-FZ "On Personal Data", art. 9) and the GDPR (art. 6(1)(a)
and 7) ask for a consent that is specific, informed and given apart from other terms: who
processes the data (the sponsor, and the organiser on its behalf), for what, which data, how
long, and how to withdraw it. So it is asked on its own, apart from accepting the rules and
from any marketing consent, and the exact text a person agreed to is kept with their entry.

The text is made from the contest's rules (the sponsor's and the organiser's names and
addresses, the title, the address to write to) in the entrant's language. Its version is the
SHA-256 of that text (UTF-8): the form shows the text and sends its version back; an API
client reads both from ``GET /api/contests/<slug>`` and sends the version. The intake takes
a live entry only with the version of one of the contest's current texts
(:func:`consent_error`), stores that text once in ``consent_texts`` under its version and
names the version on the entry (``Entry.consent_sha256``). A text changed later (new rules, a
new translation) is a new version; the entries keep the one they agreed to. Entries brought
in from a file carry none: the importer answers for the consent of the people in its file.

None of it goes on the public log, whose events hold no personal data.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from contest.entries.requirements import CONSENT_FIELD
from contest.errors import FieldError
from contest.i18n import LANGUAGES, N_, translate
from contest.rules.document import RulesDocument

TEXT = N_(
    "I agree that {sponsor} ({sponsor_address}) and, on its behalf, the organiser "
    "{organiser} ({organiser_address}) process the personal data I give in this entry: my "
    "name, e-mail address, phone number, date of birth, address and country. They collect, "
    "record, store, check, use and, for delivering a prize, pass them on, with or without "
    "automated means, only to run the contest \"{title}\": to check that I may enter, to "
    "hold the draw, to tell the winners and hand over the prizes, and to answer complaints. "
    "They keep the data as long as the contest and the law require, and then delete it. The "
    "public record of the contest shows no personal data; a winner is shown by a masked name. "
    "This consent is valid until I withdraw it, which I may do at any time by writing to "
    "{contact}; without it, my entry cannot take part in the draw.")
"""The text of the consent, with the rules' values in its placeholders."""
TEXT_BY_THE_SPONSOR = N_(
    "I agree that {sponsor} ({sponsor_address}) processes the personal data I give in this "
    "entry: my name, e-mail address, phone number, date of birth, address and country. It "
    "collects, records, stores, checks, uses and, for delivering a prize, passes them on, "
    "with or without automated means, only to run the contest \"{title}\": to check that I "
    "may enter, to hold the draw, to tell the winners and hand over the prizes, and to "
    "answer complaints. It keeps the data as long as the contest and the law require, and "
    "then deletes it. The public record of the contest shows no personal data; a winner is "
    "shown by a masked name. This consent is valid until I withdraw it, which I may do at "
    "any time by writing to {contact}; without it, my entry cannot take part in the draw.")
"""The text when the sponsor runs its contest itself (no organiser of its own)."""


@dataclass(frozen=True)
class Consent:
    """One text of the consent, in one language, and its version (the SHA-256 of the
    text)."""

    language: str
    text: str

    @property
    def version(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def consent_for(rules: RulesDocument, language: str) -> Consent:
    """The consent to the processing of personal data an entrant of a contest with ``rules``
    is asked for in ``language``."""
    sponsor, organiser = rules.sponsor, rules.organiser
    contact = sponsor.contact or rules.complaints.channel or organiser.contact
    alone = organiser.legal_name.strip() in ("", sponsor.legal_name.strip())
    return Consent(language, translate(TEXT_BY_THE_SPONSOR if alone else TEXT, language, {
        "sponsor": sponsor.legal_name, "sponsor_address": sponsor.address or "—",
        "organiser": organiser.legal_name, "organiser_address": organiser.address or "—",
        "title": rules.title, "contact": contact}))


def consents(rules: RulesDocument) -> dict[str, Consent]:
    """The consent of a contest with ``rules`` in every language, by version."""
    found = (consent_for(rules, language) for language in LANGUAGES)
    return {consent.version: consent for consent in found}


def consent_error(version: str | None, offered: Mapping[str, Consent]) -> FieldError | None:
    """Why ``version`` is not a consent to one of the texts ``offered`` (``None``: it is)."""
    if not version:
        return FieldError(CONSENT_FIELD, "required", N_(
            "to enter, agree to the processing of your personal data"))
    if version not in offered:
        return FieldError(CONSENT_FIELD, "consent_changed", N_(
            "the text of the consent you agreed to is not this contest's current one; read "
            "it again and agree to it"))
    return None
