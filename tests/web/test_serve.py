"""`contest serve --workers N` runs gunicorn: real worker processes answering over HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlmodel import Session

from tests.builders import make_contest

CONTEST = str(Path(sys.executable).with_name("contest"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, server: subprocess.Popen[str]) -> bytes:
    for _ in range(900):  # gunicorn and two workers start in a few seconds, slower under load
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.communicate()[0]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return bytes(answer.read())
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def test_gunicorn_workers_serve_the_app_and_log_to_stdout(
        database_url: str, session: Session, tmp_path: Path) -> None:
    contest, _ = make_contest(session)
    port = free_port()
    environment = {**os.environ, "CONTEST_DATABASE_URL": database_url,
                   "CONTEST_INSTANCE_PATH": str(tmp_path / "instance"), "LANG": "C.UTF-8"}
    server = subprocess.Popen(
        [CONTEST, "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2"],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = wait_for(f"http://127.0.0.1:{port}/api/contests", server)
        assert contest.slug.encode() in body
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert "with 2 gunicorn workers × 2 threads" in output
    assert output.count("Booting worker") == 2
    assert '"GET /api/contests HTTP/1.1" 200' in output
    assert server.returncode == 0


def test_workers_and_the_reloader_do_not_mix(database_url: str, tmp_path: Path) -> None:
    environment = {**os.environ, "CONTEST_DATABASE_URL": database_url,
                   "CONTEST_INSTANCE_PATH": str(tmp_path / "instance")}
    result = subprocess.run([CONTEST, "serve", "--workers", "2",
                             "--debug"], env=environment, capture_output=True, text=True)
    assert result.returncode == 2
    assert "--debug is for the development server" in result.stderr
