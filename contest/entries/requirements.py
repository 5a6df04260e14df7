"""What the rules require of an entry: the one answer the entry form, the API and the intake
ask.

An entrant always gives their full name and an e-mail address or a phone number
(:func:`~contest.entries.submission.parse_submission` refuses an entry without them). The
rules add the fields they need to check who may enter: the date of birth when there is an
age limit (a minimum above zero or a maximum), and the country when the countries or the
regions are limited. An entry taken through a live channel without a field the rules need is
refused before anything of it is stored (:func:`contest.entries.eligibility.refusals`); one
brought in is kept with the reason code (``age_unknown``, ``country_unknown``).

A live entry also carries the entrant's consent to the processing of their personal data
(:mod:`contest.entries.consent`), whatever the rules say: :data:`CONSENT_FIELD`.
"""

from dataclasses import dataclass

from babel import Locale
from babel.lists import format_list

from contest.i18n import DEFAULT_LANGUAGE, LANGUAGES
from contest.rules.document import RulesDocument

CONSENT_FIELD = "personal_data_consent"
"""The field of the form and the API that carries the version of the consent agreed to."""
CONTACT_FIELDS = ("email", "phone")
"""An entrant gives at least one of these."""


@dataclass(frozen=True)
class EntryRequirements:
    """What the rules require of an entry: which fields, and the limits they are checked
    against (for the form to say them before the entrant fills it in)."""

    min_age: int
    max_age: int | None
    countries: tuple[str, ...]
    """The countries an entrant may live in (those of the regions, when only regions are
    named); empty: any country."""

    @property
    def birth_date(self) -> bool:
        """Whether the date of birth is needed: the rules limit the age."""
        return self.min_age > 0 or self.max_age is not None

    @property
    def country(self) -> bool:
        """Whether the country is needed: the rules limit the countries or regions."""
        return bool(self.countries)

    @property
    def required(self) -> tuple[str, ...]:
        """The fields an entry must fill in (besides one of :data:`CONTACT_FIELDS`), in the
        form's order, the consent last."""
        return ("full_name", *(("birth_date",) if self.birth_date else ()),
                *(("country",) if self.country else ()), CONSENT_FIELD)

    def places(self, language: str) -> str:
        """The countries an entrant may live in, named in ``language`` ("Russia, Ukraine or
        United States", in English for a language the app does not speak); empty when any
        country will do."""
        language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        return format_list([_country_name(code, language) for code in self.countries],
                           style="or", locale=language) if self.countries else ""


def entry_requirements(rules: RulesDocument) -> EntryRequirements:
    """What ``rules`` require of an entry."""
    eligibility = rules.eligibility
    countries = eligibility.countries or tuple(dict.fromkeys(
        region.split("-")[0] for region in eligibility.regions))
    return EntryRequirements(min_age=eligibility.min_age, max_age=eligibility.max_age,
                             countries=countries)


def _country_name(code: str, language: str) -> str:
    """The country ``code`` (ISO 3166-1) as CLDR names it in ``language``."""
    name = Locale.parse(language).territories.get(code)
    return name if isinstance(name, str) else code
