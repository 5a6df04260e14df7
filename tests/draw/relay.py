"""A drand relay on this machine for tests: it speaks drand's HTTP API
(``GET /{chain hash}/public/{round}``) and serves the real quicknet rounds of the vectors;
any other round is "too early" (425), as a relay answers before a round is out."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from contest.randomness.drand import QUICKNET

VECTORS = json.loads((Path(__file__).parent / "vectors" / "drand.json").read_text())
ROUNDS: dict[int, dict[str, Any]] = {r["round"]: r for r in VECTORS["rounds"]}


@contextmanager
def local_relay(asked: list[str] | None = None) -> Iterator[str]:
    """The relay's base URL while it serves; the paths asked are added to ``asked``."""

    class Relay(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            if asked is not None:
                asked.append(self.path)
            prefix = f"/{QUICKNET.hash}/public/"
            number = self.path.removeprefix(prefix)
            vector = ROUNDS.get(int(number)) if number.isdigit() else None
            if not self.path.startswith(prefix) or vector is None:
                self.send_error(425 if self.path.startswith(prefix) else 404)
                return
            body = json.dumps({**vector, "previous_signature": ""}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
