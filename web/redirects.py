"""Where a form may send a person next: a page of this site, never another.

Redirect targets that arrive with a request (``next=`` on sign-in and the language switch,
``back=`` on the auditor's flag decision) are the stranger's words. Browsers read URLs
leniently (WHATWG URL Standard, "basic URL parser"): they drop tabs and line breaks anywhere,
strip leading and trailing spaces and control characters, and read a backslash as a slash,
so ``/\\t/evil.example`` and ``/\\evil.example`` both lead to evil.example; a line break that
reaches the ``Location`` header would split it. So a target is kept only if it is a
same-site path in its plainest form: it starts with exactly one ``/``, its percent escapes
are well formed, and neither it nor any percent-decoding of it holds a backslash, a control
or format character or any kind of space, starts with ``//``, or has a scheme or a host. All
else gives way to the page the caller names as the fallback. Links this site makes itself
(``url_for``, ``request.full_path``) always pass.
"""

import re
import unicodedata
from urllib.parse import unquote, urlsplit

# Enough decodings for any escape nested by mistake; a target still changing after them is
# refused rather than followed further.
MAX_DECODINGS = 4
BROKEN_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def same_site_path(target: str | None, *, fallback: str) -> str:
    """``target`` if it is a path of this site (see the module's rules), else ``fallback``."""
    return target if target is not None and is_same_site_path(target) else fallback


def is_same_site_path(target: str) -> bool:
    form = target
    for _ in range(MAX_DECODINGS + 1):
        if BROKEN_ESCAPE.search(form) or not _plain_path(form):
            return False
        decoded = unquote(form, errors="replace")
        if decoded == form:
            return True
        form = decoded
    return False


def _plain_path(form: str) -> bool:
    if not form.startswith("/") or form.startswith("//") or "\\" in form:
        return False
    # C*: controls (tab, CR, LF…), format characters (zero-width, bidi), unassigned;
    # Z*: every space and line or paragraph separator.
    if any(unicodedata.category(char)[0] in "CZ" for char in form):
        return False
    parts = urlsplit(form)
    return not parts.scheme and not parts.netloc
