"""The witness's HTTP interface (C2SP tlog-witness): ``POST /add-checkpoint`` for logs and
``GET /<origin hash>/checkpoint`` for monitors, on Python's standard HTTP server.

The submission and monitoring prefixes are both the server's root. Statuses and bodies are
those of the spec: 200 with the cosignature line(s) (``text/plain; charset=utf-8``), 409 with
the witness's size and a newline (``text/x.tlog.size``), 400, 403, 404 and 422 with a line
saying why. A request body over 64 KiB is refused (413) unread; a request that breaks the
server is a bug, answered 500 and logged.
"""

import logging
import socket
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from contest.errors import (
    ContestError,
    Forbidden,
    Malformed,
    NotFound,
    TryAgain,
    VerificationFailed,
    WitnessBehind,
)
from contest.witness.witness import MAX_BODY, AddCheckpoint, Witness

SIZE_CONTENT_TYPE = "text/x.tlog.size"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"

log = logging.getLogger(__name__)

_STATUSES: tuple[tuple[type[ContestError], HTTPStatus], ...] = (
    (WitnessBehind, HTTPStatus.CONFLICT),
    (Malformed, HTTPStatus.BAD_REQUEST),
    (Forbidden, HTTPStatus.FORBIDDEN),
    (NotFound, HTTPStatus.NOT_FOUND),
    (VerificationFailed, HTTPStatus.UNPROCESSABLE_ENTITY),
    (TryAgain, HTTPStatus.SERVICE_UNAVAILABLE),
)


def status_of(error: ContestError) -> HTTPStatus:
    """The HTTP status tlog-witness names for a refusal."""
    for kind, status in _STATUSES:
        if isinstance(error, kind):
            return status
    return HTTPStatus.BAD_REQUEST


class WitnessServer(ThreadingHTTPServer):
    """A threaded HTTP server that answers for one :class:`Witness`."""

    daemon_threads = True

    def __init__(self, witness: Witness, host: str, port: int) -> None:
        self.witness = witness
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes) else host
        if ":" in host_text:
            host_text = f"[{host_text}]"
        return f"http://{host_text}:{port}"

    def serve_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: WitnessServer
    protocol_version = "HTTP/1.1"  # keep-alive, as the spec recommends

    def do_POST(self) -> None:
        if self.path != "/add-checkpoint":
            self._send(HTTPStatus.NOT_FOUND, "no such endpoint: POST /add-checkpoint only\n")
            return
        body = self._body()
        if body is None:
            return
        try:
            request = AddCheckpoint.from_body(body)
            cosignature = self.server.witness.add_checkpoint(request, now=datetime.now(UTC))
        except WitnessBehind as error:
            self._send(HTTPStatus.CONFLICT, f"{error.size}\n", SIZE_CONTENT_TYPE)
            return
        except ContestError as error:
            self._send(status_of(error), f"{error.text('en')}\n")
            return
        except Exception:
            log.exception("add-checkpoint failed")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "the witness failed; see its log\n")
            return
        self._send(HTTPStatus.OK, cosignature)

    def do_GET(self) -> None:
        parts = self.path.split("/")
        if len(parts) != 3 or parts[0] or parts[2] != "checkpoint":
            self._send(HTTPStatus.NOT_FOUND, "no such endpoint: GET /<origin hash>/checkpoint\n")
            return
        try:
            note = self.server.witness.served_checkpoint(parts[1])
        except ContestError as error:
            self._send(status_of(error), f"{error.text('en')}\n")
            return
        self._send(HTTPStatus.OK, note)

    def _body(self) -> bytes | None:
        length_text = self.headers.get("Content-Length")
        if length_text is None or not length_text.isdigit():
            self.close_connection = True
            self._send(HTTPStatus.LENGTH_REQUIRED, "a request body with its Content-Length\n")
            return None
        length = int(length_text)
        if length > MAX_BODY:
            self.close_connection = True
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                       f"request body has {length} bytes, at most {MAX_BODY} are accepted\n")
            return None
        return self.rfile.read(length)

    def _send(self, status: HTTPStatus, text: str,
              content_type: str = TEXT_CONTENT_TYPE) -> None:
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        log.info("%s %s", self.address_string(), format % args)
