"""Translatable messages for the domain, without Flask.

Domain code marks user-facing text with :func:`N_` (an identity function that message
extraction recognises) and keeps parameters apart, so the web layer (Flask-Babel) and the
command line can show the same message in the person's language. Catalogs live in
``contest/translations`` and are shared with the web app.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.numbers import format_currency
from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LANGUAGES = ("en", "ru", "uk")
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now."""
    return message


@dataclass(frozen=True)
class Plural:
    """A message in two English forms; the number in the parameter ``number`` chooses the
    form in each language (three in Russian and Ukrainian: 1 ошибка, 2 ошибки, 5 ошибок)."""

    singular: str
    plural: str
    number: str = "count"


def N_plural(singular: str, plural: str, number: str = "count") -> Plural:
    """Mark a message with a plural form for translation (extracted as ``ngettext`` is)."""
    return Plural(singular, plural, number)


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog for ``language``; untranslated text falls back to English."""
    if language not in LANGUAGES or language == DEFAULT_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [language], domain="messages")


@dataclass(frozen=True)
class Message:
    """A message with its own parameters that fills another message's placeholder, and is
    translated with it: "is not JSON: {problem}" with the problem in the same words."""

    text: "str | Plural"
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return translate(self.text, "en", self.params)


@dataclass(frozen=True)
class Amount:
    """A sum of money that fills a message's placeholder, written as the message's language
    writes money ("RUB 9,000.00", "9 000,00 ₽")."""

    value: Decimal
    currency: str

    def in_language(self, language: str) -> str:
        return format_currency(self.value, self.currency, locale=language)

    def __str__(self) -> str:
        return self.in_language(DEFAULT_LANGUAGE)


def translate(message: "str | Plural", language: str,
              params: Mapping[str, object] | None = None) -> str:
    """``message`` in ``language``, with ``{name}`` placeholders filled from ``params`` (a
    :class:`Message` among them translated into ``language`` too); a :class:`Plural` takes
    the form its number calls for."""
    if isinstance(message, Plural):
        number = (params or {}).get(message.number)
        text = translations(language).ngettext(message.singular, message.plural,
                                               number if isinstance(number, int) else 2)
    else:
        text = translations(language).gettext(message)
    if not params:
        return text
    return text.format(**{name: _in_language(value, language) for name, value in params.items()})


def _in_language(value: object, language: str) -> object:
    if isinstance(value, Message):
        return translate(value.text, language, value.params)
    if isinstance(value, Amount):
        return value.in_language(language)
    return value
