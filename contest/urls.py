"""What a message or an output may show of a URL: everything but its password (a database URL,
an SMTP server's, a rate-limit store's). A leaf: the settings check their URLs with it before
anything else is loaded.
"""

import re

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
