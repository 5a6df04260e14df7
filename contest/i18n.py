"""Translatable messages for the domain, without Flask.

Domain code marks user-facing text with :func:`N_` (an identity function that message
extraction recognises) and keeps parameters apart, so the web layer (Flask-Babel) and the
command line can show the same message in the person's language. Catalogs live in
``contest/translations`` and are shared with the web app.
"""

from collections.abc import Mapping
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


def translate(message: str, language: str, params: Mapping[str, object] | None = None) -> str:
    """``message`` in ``language``, with ``{name}`` placeholders filled from ``params``."""
    text = translations(language).gettext(message)
    return text.format(**params) if params else text
