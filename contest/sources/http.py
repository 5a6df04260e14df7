"""Calling a network's JSON API over HTTP: one request, its JSON answer, and what failed.

The readers (:mod:`contest.sources.vk`, :mod:`.instagram`, :mod:`.telegram`) build their
documented requests and read their documented answers; this module only sends a request and
parses the body, with no library of its own (the standard library's ``urllib``), so a
local server in the tests is called exactly as the real API is.
"""

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contest.errors import NetworkUnavailable
from contest.i18n import N_

TIMEOUT = 30.0
"""Seconds to wait for one answer."""


@dataclass(frozen=True)
class Answer:
    """An answer: its HTTP status, its headers (names in lower case), its parsed JSON body."""

    status: int
    headers: Mapping[str, str]
    body: Any


def call(url: str, params: Mapping[str, str | int], *, network: str, method: str = "GET",
         timeout: float = TIMEOUT) -> Answer:
    """Send ``params`` to ``url`` (in the query for GET, as a form for POST) and read the
    JSON answer, whatever its status (an API's error object comes with 4xx statuses).

    Raises :class:`NetworkUnavailable` naming ``network`` when nobody answers or the body
    is not JSON."""
    encoded = urllib.parse.urlencode({key: str(value) for key, value in params.items()})
    if method == "GET":
        request = urllib.request.Request(url + ("&" if "?" in url else "?") + encoded
                                         if encoded else url, method="GET")
    else:
        request = urllib.request.Request(url, data=encoded.encode(), method=method, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
    request.add_header("Accept", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, dict(error.headers or {}), error.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        # HTTPException: an answer cut off (IncompleteRead) or not HTTP (BadStatusLine).
        raise NetworkUnavailable(N_("{network} could not be reached at {url}: {error}"),
                                 {"network": network, "url": _without_query(url),
                                  "error": str(getattr(error, "reason", error))}) from None
    try:
        body = json.loads(raw)
    except ValueError:
        raise NetworkUnavailable(N_("{network} answered {url} with HTTP {status} and a body "
                                    "that is not JSON"),
                                 {"network": network, "url": _without_query(url),
                                  "status": status}) from None
    return Answer(status, {name.lower(): value for name, value in headers.items()}, body)


def _without_query(url: str) -> str:
    """The address without its query, which may hold a token."""
    return url.split("?", 1)[0]
