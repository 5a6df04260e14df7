"""Translatable messages for the domain, without Flask.

Domain code marks user-facing text with :func:`N_` (an identity function that message
extraction recognises) and keeps parameters apart, so the web layer (Flask-Babel) and the
command line can show the same message in the person's language. Catalogs live in
``contest/translations`` and are shared with the web app.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
LANGUAGES = ("en", "ru", "uk")
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now."""
    return message


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

    text: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return translate(self.text, "en", self.params)


def translate(message: str, language: str, params: Mapping[str, object] | None = None) -> str:
    """``message`` in ``language``, with ``{name}`` placeholders filled from ``params`` (a
    :class:`Message` among them translated into ``language`` too)."""
    text = translations(language).gettext(message)
    if not params:
        return text
    return text.format(**{name: translate(value.text, language, value.params)
                          if isinstance(value, Message) else value
                          for name, value in params.items()})
