"""What may be shown: of a person to the public, a masked name, never contacts or
addresses; of a URL in a message or in output, everything but its password."""

import re


def mask_name(full_name: str) -> str:
    """The first word in full and the initial of the next: ``Ivan Petrov`` → ``Ivan P.``."""
    words = full_name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][0] + "."
    return f"{words[0]} {words[1][0]}."


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_SECRET_PARAMETER = re.compile(r"([?&;](?:password|passwd|pwd|secret|token)=)[^&;#]*",
                               re.IGNORECASE)
HIDDEN = "***"


def mask_url(url: str) -> str:
    """``url`` with its password shown as ``***``, for messages and output:
    ``smtp+starttls://mailer:***@smtp.example:587``.

    Meant for URLs that may be mistyped, so it does not parse them: the user information is
    everything up to the *last* ``@`` (a password holding an unescaped ``@``, ``/`` or ``#``
    stays hidden), its password everything after the first ``:``; a ``password=`` (or
    ``secret=``, ``token=``) parameter is hidden too. It errs towards hiding too much."""
    scheme = _SCHEME.match(url)
    start = scheme.end() if scheme else 0
    at = url.rfind("@", start)
    if at != -1:
        colon = url.find(":", start, at)
        if colon != -1:
            url = f"{url[:colon + 1]}{HIDDEN}{url[at:]}"
    return _SECRET_PARAMETER.sub(lambda found: found.group(1) + HIDDEN, url)
