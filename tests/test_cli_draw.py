"""The public record from the command line: export a bundle, verify it, verify the log."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from contest.draw.service import commit, find_draw
from contest.randomness import RandomnessSource
from tests.builders import SIGNER
from tests.draw.builders import CLOSES, SECRETS, closed_contest, drawn
from tests.fixtures import run_cli as run


@pytest.fixture
def demo(database_url: str, cli_env: Path) -> str:
    built = run("demo", "build", "--entrants", "120")
    assert built.exit_code == 0, built.output
    return database_url



def test_the_demo_draw_exports_and_verifies(demo: str, tmp_path: Path) -> None:
    exported = run("draw", "export", "back-to-school-2023")
    assert exported.exit_code == 0
    bundle = tmp_path / "bundle.json"
    bundle.write_text(exported.stdout, encoding="utf-8")
    key = (tmp_path / "instance" / "log-verifier-key").read_text().strip()
    verified = run("verify", str(bundle), "--key", key)
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("VERIFIED back-to-school-2023: winners ")
    assert "back-to-school-2023\tdrawn\t" in run("contests", "list").stdout


def test_a_tampered_bundle_fails_with_the_reason(demo: str, tmp_path: Path) -> None:
    data = json.loads(run("draw", "export", "back-to-school-2023").stdout)
    data["alternates"] = list(reversed(data["alternates"]))
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(data), encoding="utf-8")
    result = run("verify", str(bundle))
    assert result.exit_code == 1
    assert result.stderr.startswith("NOT VERIFIED: winners: the alternates are ")


def test_log_verify_catches_an_event_edited_in_the_database(demo: str) -> None:
    assert run("log", "verify").stdout.startswith("log verified: ")
    engine = create_engine(demo)
    with engine.begin() as connection:
        connection.execute(text("UPDATE log_entries SET leaf = replace(leaf, '\"type\"', "
                                "'\"typo\"') WHERE leaf_index = 1"))
    engine.dispose()
    result = run("log", "verify")
    assert result.exit_code == 1
    assert "leaf 1 was changed" in result.stderr


def test_a_commit_reveal_draw_from_the_command_line(session: Session, cli_env: Path) -> None:
    tmp_path = cli_env
    contest = closed_contest(session, source=RandomnessSource.COMMIT_REVEAL)
    slug = contest.slug
    digests = {party: hashlib.sha256(bytes.fromhex(secret)).hexdigest()
               for party, secret in SECRETS.items()}
    # The command line runs now, long after this contest closed: commitments had to come
    # while entries were open, so the parties committed then.
    late = run("draw", "commit", slug, "--party", "witness", "--digest", "0" * 64)
    assert late.exit_code == 1 and "are taken before the close" in late.stderr
    for party, digest in digests.items():
        commit(session, contest=contest, party=party, digest=digest,
               now=CLOSES - timedelta(days=1), signer=SIGNER)
    session.commit()
    session.close()
    frozen = run("draw", "freeze", slug)
    assert frozen.exit_code == 0 and '"commit-reveal"' in frozen.stdout
    (sponsor, sponsor_secret), (auditor, auditor_secret) = SECRETS.items()
    run("draw", "reveal", slug, "--party", sponsor, "--secret", sponsor_secret)
    waiting = run("draw", "randomness", slug)
    assert waiting.exit_code == 1
    assert f"the draw waits for: {auditor}" in waiting.stderr
    wrong = run("draw", "reveal", slug, "--party", auditor, "--secret", sponsor_secret)
    assert wrong.exit_code == 1 and "revealed a secret whose SHA-256 is" in wrong.stderr
    run("draw", "reveal", slug, "--party", auditor, "--secret", auditor_secret)
    value = hashlib.sha256(bytes.fromhex(sponsor_secret + auditor_secret)).hexdigest()
    assert run("draw", "randomness", slug).stdout == f"randomness recorded: {value}\n"
    drawn = run("draw", "run", slug)
    assert drawn.stdout.count("winner ") == 3 and drawn.stdout.count("alternate ") == 2
    bundle = tmp_path / "bundle.json"
    bundle.write_text(run("draw", "export", slug).stdout, encoding="utf-8")
    assert run("verify", str(bundle)).stdout.startswith(f"VERIFIED {slug}: winners ")


def test_replacing_a_ticket_that_is_no_longer_a_winner_says_so(
    session: Session, cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like every other bad input, the command exits 2 with a heading and the field at fault;
    both read as sentences (no "1 errors"), in the terminal's language."""
    contest = drawn(session, SIGNER)
    record = find_draw(session, contest)
    assert record is not None
    first, alternate = record.winners[0], record.alternates[0]
    session.close()
    replaced = run("draw", "replace", contest.slug, first, "--reason", "employee")
    assert replaced.exit_code == 0, replaced.output
    assert replaced.stdout == f"replaced {first} by {alternate}\n"
    again = run("draw", "replace", contest.slug, first, "--reason", "employee")
    assert again.exit_code == 2
    assert again.stderr == ("error: the winner was not replaced\n"
                            f"  ticket: {first} is not among the current winners\n")
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    russian = run("draw", "replace", contest.slug, first, "--reason", "employee")
    assert russian.exit_code == 2
    assert russian.stderr == ("error: победитель не заменён\n"
                              f"  ticket: {first} нет среди нынешних победителей\n")


def test_the_command_line_fetches_the_round_from_the_configured_relays(
        session: Session, cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal and the draw desk ask the same relays: ``CONTEST_DRAND_RELAYS``."""
    from contest.draw.service import freeze
    from tests.draw.builders import FREEZE, ROUND
    from tests.draw.relay import local_relay

    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    session.commit()
    session.close()
    asked: list[str] = []
    with local_relay(asked) as relay:
        monkeypatch.setenv("CONTEST_DRAND_RELAYS", relay)
        taken = run("draw", "randomness", contest.slug)
    assert taken.stdout == f"randomness recorded: {ROUND['randomness']}\n", taken.stderr
    assert len(asked) == 1
