"""The Russian and Ukrainian catalogs are complete, and every translation keeps its
placeholders, so no page or message falls back to English or breaks on formatting."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from contest.i18n import LANGUAGES, TRANSLATIONS_DIR, translate

PLACEHOLDERS = re.compile(r"\{[a-z_]+(?:[!:][^}]*)?\}|%\([a-z_]+\)[sd]")
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def catalog(language: str) -> list[tuple[str, tuple[str, ...]]]:
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as stream:
        messages = read_po(stream)
    found = []
    for message in messages:
        if not message.id:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.append((source, tuple(strings)))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    missing = [source for source, strings in catalog(language) if not all(strings)]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str) -> None:
    for source, strings in catalog(language):
        wanted = sorted(PLACEHOLDERS.findall(source))
        for text in strings:
            got = sorted(PLACEHOLDERS.findall(text))
            # A plural form may say "one" in words where English says "%(num)s".
            assert got == wanted or set(got) <= set(wanted) and len(strings) > 1, (
                language, source, text)


def test_the_catalogs_follow_the_template() -> None:
    template = {source for source, _ in catalog_template()}
    for language in TRANSLATED:
        assert {source for source, _ in catalog(language)} == template, language


def catalog_template() -> list[tuple[str, tuple[str, ...]]]:
    with (Path(TRANSLATIONS_DIR) / "messages.pot").open("rb") as stream:
        return [(m.id[0] if isinstance(m.id, tuple) else m.id, ()) for m in read_po(stream)
                if m.id]


def test_a_message_reads_in_each_language() -> None:
    assert translate("no contest {slug}", "uk", {"slug": "x"}) != "no contest x"
    assert translate("no contest {slug}", "ru", {"slug": "x"}) != "no contest x"
    assert translate("no contest {slug}", "en", {"slug": "x"}) == "no contest x"


def test_no_message_quotes_code_with_backticks() -> None:
    """Backticks are Markdown; a page or a terminal shows them as they are."""
    # The results page's line goes with issue 17's results certificate, changed at the same time.
    elsewhere = {"Check it yourself: `contest verify bundle.json`, or any verifier written "
                 "from the published protocol."}
    quoted = [source for source, _ in catalog_template() if "`" in source]
    assert not set(quoted) - elsewhere, quoted
