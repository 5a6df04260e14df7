"""A drand relay on this machine for tests: it speaks drand's HTTP API
(``GET /{chain hash}/public/{round}``) and serves the real quicknet rounds of the vectors;
any other round is "too early" (425), as a relay answers before a round is out.

:func:`relay` serves any answer a test gives (a broken or lying relay);
:func:`local_relay` is the healthy one."""

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from contest.randomness.drand import QUICKNET

VECTORS = json.loads((Path(__file__).parent / "vectors" / "drand.json").read_text())
ROUNDS: dict[int, dict[str, Any]] = {r["round"]: r for r in VECTORS["rounds"]}

Answer = Callable[[str], tuple[int, bytes]]


def relay_answer(path: str) -> tuple[int, bytes]:
    """What a healthy relay answers: the vector rounds, 425 for any other round."""
    prefix = f"/{QUICKNET.hash}/public/"
    if not path.startswith(prefix):
        return 404, b'{"error": "unknown chain"}'
    number = path.removeprefix(prefix)
    vector = ROUNDS.get(int(number)) if number.isdigit() else None
    if vector is None:
        return 425, b"Too Early"
    return 200, json.dumps({**vector, "previous_signature": ""}).encode()


@contextmanager
def relay(answer: Answer) -> Iterator[str]:
    """The base URL of a relay that answers each path with ``answer(path)``, while it serves."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            status, body = answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def local_relay(asked: list[str] | None = None) -> Iterator[str]:
    """A healthy relay's base URL while it serves; the paths asked are added to ``asked``."""

    def answer(path: str) -> tuple[int, bytes]:
        if asked is not None:
            asked.append(path)
        return relay_answer(path)

    with relay(answer) as url:
        yield url
