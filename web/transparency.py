"""The public record: the log's API (checkpoint, entries, proofs), draw results, bundles.

Anyone can fetch these without an account and check them without trusting this server:
the log key is published at ``/log/key``, the protocol in docs/PROTOCOL.md.
"""

import gzip
from pathlib import Path

from babel.lists import format_list
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)
from flask_babel import get_locale, gettext

from contest.draw.bundle import build_bundle
from contest.draw.parties import PARTY_LABELS
from contest.draw.public_randomness import NamedRandomness, named_randomness
from contest.draw.readiness import frozen_rules
from contest.draw.recheck import needs_recheck
from contest.draw.results import (
    certificate,
    excluded_by_reason,
    frozen_count,
    look_up_ticket,
)
from contest.draw.service import REPLACEMENT_LABELS, find_draw
from contest.errors import OutOfRange
from contest.i18n import N_
from contest.ledger.cosignatures import cosigned_note
from contest.ledger.keys import load_or_create_signer
from contest.ledger.note import Signer
from contest.ledger.store import latest_checkpoint, log_size, read_entries, tree
from contest.ledger.tiles import TileRoots, parse_tile_path, read_tile, served_size
from contest.randomness import RandomnessSource
from contest.randomness.rfc3797 import PUBLIC_NUMBERS
from contest.rules.status import contest_stage, public_status
from contest.rules.versions import published_contest
from contest.sources.reading import GAP_REASONS, latest_reads
from contest.witness.collect import LogWitness, log_witnesses
from web import database
from web.clock import now
from web.i18n import grouped, moment
from web.query import WholeNumber, whole_numbers

blueprint = Blueprint("transparency", __name__)
MAX_ENTRIES = 1000

# C2SP tlog-tiles: the checkpoint changes, so no cache keeps it beyond a few seconds; a full
# tile never changes; a partial one is superseded by the full tile soon.
CHECKPOINT_CACHING = "no-cache"
FULL_TILE_CACHING = "public, max-age=31536000, immutable"
PARTIAL_TILE_CACHING = "public, max-age=60"

# What the in-browser verifier (static/verify/) says, by the codes checks.js throws.
VERIFY_MESSAGES = {
    "state_pending": N_("waiting"),
    "state_running": N_("checking…"),
    "state_ok": N_("passed"),
    "state_failed": N_("FAILED"),
    "working": N_("Checking in your browser…"),
    "verified": N_("VERIFIED in your browser: the winners of {contest} (drawn: {winners}) "
                   "follow from the frozen tickets and the public randomness, and the log "
                   "signed by the key above (events: {size}) records them."),
    "not_verified": N_("NOT VERIFIED."),
    "check_format": N_("Bundle format"),
    "check_rules": N_("Rules fingerprint"),
    "check_tickets": N_("Eligible tickets"),
    "check_entries_root": N_("Entries root"),
    "check_randomness": N_("Public randomness"),
    "check_seed": N_("Seed"),
    "check_winners": N_("Winners and alternates"),
    "check_checkpoint": N_("Signed checkpoint"),
    "check_log": N_("Events in the log"),
    "check_replacements": N_("Replaced winners"),
    "check_witnesses": N_("Witnesses' cosignatures"),
    "browser_no_crypto": N_("this browser offers no Web Crypto on this page (it needs HTTPS)"),
    "browser_no_ed25519": N_("this browser cannot check Ed25519 signatures; use a current "
                             "browser, or the command contest verify"),
    "download": N_("the bundle could not be downloaded (status {status})"),
    "unreadable": N_("the bundle is not readable JSON"),
    "field_type": N_("field {field} must be of type {expected}"),
    "protocol": N_("protocol must be {expected}, got {got}"),
    "rules_hash": N_("the rules hash to {computed}, the bundle says {claimed}"),
    "rules_counts": N_("the rules must give whole numbers of winners and alternates"),
    "ticket_format": N_("ticket {position} is {got}, not 32 lowercase hex digits"),
    "ticket_order": N_("ticket {position} ({ticket}) is not after ticket {previous} "
                       "({previous_ticket}): the list must be sorted ascending without repeats"),
    "ticket_excluded": N_("ticket {ticket} is both eligible and excluded"),
    "root_mismatch": N_("the tickets give root {computed}, the bundle says {claimed}"),
    "proof_malformed": N_("the randomness proof must be an object"),
    "source_unknown": N_("unknown randomness source {got}"),
    "drand_chain": N_("unknown drand chain {got}"),
    "drand_public_key": N_("the proof names another public key for drand chain {chain}"),
    "drand_round": N_("the drand round number must be a positive whole number, got {got}"),
    "drand_not_planned": N_("the freeze named drand round {expected}, the proof is round {got}"),
    "drand_signature": N_("drand round {round} signature does not verify against chain "
                          "{chain}'s public key"),
    "drand_randomness": N_("drand round {round} claims randomness {got}, but SHA-256 of its "
                           "signature is {expected}"),
    "drand_too_early": N_("drand round {round} was due at {due}, before the freeze at "
                          "{frozen_at}"),
    "commit_malformed": N_("the commit-reveal proof is malformed"),
    "commit_not_planned": N_("the commitments differ from those the freeze named"),
    "commit_stranger": N_("party {party} revealed a secret but never committed"),
    "commit_waiting": N_("the draw waits for: {parties}"),
    "commit_mismatch": N_("party {party} revealed a secret whose SHA-256 is {got}, but "
                          "committed {expected}"),
    "rfc3797_sources": N_("the RFC 3797 sources must be lists of whole numbers"),
    "value_mismatch": N_("the proof gives value {computed}, the bundle says {claimed}"),
    "seed_mismatch": N_("the seed is {computed}, the bundle says {claimed}"),
    "winners_mismatch": N_("the {name} are {computed}, the bundle says {claimed}"),
    "key_missing": N_("no log verifier key in the bundle or given"),
    "key_malformed": N_("verifier key {key} is not name+keyid+base64 of an Ed25519 key"),
    "key_id": N_("verifier key {key} has key ID {expected} instead"),
    "note_malformed": N_("the checkpoint is not a well-formed signed note"),
    "signature_missing": N_("the checkpoint has no signature by {expected} (found: {found})"),
    "signature_invalid": N_("the checkpoint signature by {key} does not verify: the text or "
                            "the signature was changed"),
    "checkpoint_malformed": N_("the checkpoint text is not origin, size and root hash"),
    "event_malformed": N_("{event} needs leaf, leaf_index and inclusion_proof"),
    "inclusion_index": N_("{event}: index {index} is beyond tree size {size}"),
    "inclusion_length": N_("{event}: the inclusion proof has {got} hashes, expected {expected}"),
    "inclusion_root": N_("{event} is not in the checkpointed log: computed root {computed}, "
                         "the checkpoint says {expected}"),
    "event_order": N_("the draw event comes before the freeze event in the log"),
    "event_field": N_("the logged {event} event says {field} = {got}, the bundle says "
                      "{expected}"),
    "replacement_malformed": N_("replacement {position} is not an object"),
    "replacement_order": N_("replacement {position} is logged at leaf {got}, not after leaf "
                            "{previous}"),
    "replacement_not_winner": N_("replacement {position} replaces {ticket}, not a winner at "
                                 "that point"),
    "replacement_alternate": N_("replacement {position} brings in {got}; the next unused "
                                "alternate is {expected}"),
    "current_winners": N_("the current winners are {computed}, the bundle says {claimed}"),
    "witness_key_malformed": N_("witness key {key} is not name+keyid+base64 of a witness's "
                                "Ed25519 cosignature key"),
    "witness_key_id": N_("witness key {key} has key ID {expected} instead"),
    "cosignature_missing": N_("the checkpoint has no cosignature by witness {witness}"),
    "cosignature_invalid": N_("the cosignature by witness {witness} does not verify: the "
                              "checkpoint or the cosignature was changed"),
    "cosigned_by": N_("Cosigned by witness {witness} at {moment}."),
    "no_witnesses": N_("No witness key given: no cosignature was required."),
}


def init_app(app: Flask) -> None:
    app.extensions["contest.signer"] = load_or_create_signer(
        Path(app.instance_path), app.config["LOG_ORIGIN"],
        key_file=app.config.get("LOG_SIGNING_KEY_FILE"))
    app.extensions["contest.tile_roots"] = TileRoots()
    # A witness key that is not one stops start-up, as any other wrong setting does.
    app.extensions["contest.witnesses"] = log_witnesses(app.config.get("WITNESSES", ()))
    app.register_blueprint(blueprint)


def signer() -> Signer:
    value: Signer = current_app.extensions["contest.signer"]
    return value


def witnesses() -> tuple[LogWitness, ...]:
    """The deployment's witnesses (``CONTEST_WITNESSES``), keys parsed."""
    value: tuple[LogWitness, ...] = current_app.extensions["contest.witnesses"]
    return value


@blueprint.get("/log/key")
def key() -> Response:
    return Response(signer().verifier_key() + "\n", mimetype="text/plain")


@blueprint.get("/log/checkpoint")
def checkpoint() -> Response:
    """The newest checkpoint, with the cosignature lines of the witnesses that cosigned it
    after the log's signature (C2SP tlog-cosignature)."""
    session = database.session()
    row = latest_checkpoint(session)
    if row is None:
        abort(404)
    response = Response(cosigned_note(session, row), content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = CHECKPOINT_CACHING
    return response


@blueprint.after_request
def no_cached_tile_errors(response: Response) -> Response:
    """A tile the checkpoint does not cover yet comes with a later one: no cache keeps its
    404 (nor any other refusal)."""
    if request.endpoint == "transparency.tile" and response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/log/tile/<path:path>")
def tile(path: str) -> Response:
    """C2SP tlog-tiles: ``/log/tile/<L>/<N>[.p/<W>]`` and ``/log/tile/entries/<N>[.p/<W>]``,
    for the tree of the latest signed checkpoint."""
    wanted = parse_tile_path(path)
    session = database.session()
    body = read_tile(session, wanted, size=served_size(session),
                     roots=current_app.extensions["contest.tile_roots"])
    response = Response(body, mimetype="application/octet-stream")
    response.headers["Cache-Control"] = (FULL_TILE_CACHING if wanted.full
                                         else PARTIAL_TILE_CACHING)
    if wanted.level is None:  # leaves are JSON text; hashes would not shrink
        response.vary.add("Accept-Encoding")
        if request.accept_encodings["gzip"]:
            response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
            response.headers["Content-Encoding"] = "gzip"
    return response


@blueprint.get("/log/entries")
def entries() -> Response:
    start, end = whole_numbers(WholeNumber("start"), WholeNumber("end"))
    end = min(end, start + MAX_ENTRIES, log_size(database.session()))
    rows = read_entries(database.session(), start, end)
    return jsonify({"start": start, "entries": [
        {"index": row.leaf_index, "leaf": row.leaf, "leaf_hash": row.leaf_hash}
        for row in rows]})


@blueprint.get("/log/proof/inclusion")
def inclusion() -> Response:
    index, size = whole_numbers(WholeNumber("index"), WholeNumber("size", minimum=1))
    log = tree(database.session())
    if index >= size or size > log.size:
        raise OutOfRange(N_("need index < size ≤ {log_size}, got index {index}, size {size}"),
                         {"log_size": log.size, "index": index, "size": size})
    return jsonify({"index": index, "size": size, "root": log.root(size).hex(),
                    "proof": [h.hex() for h in log.inclusion_proof(index, size)]})


@blueprint.get("/log/proof/consistency")
def consistency() -> Response:
    first, second = whole_numbers(WholeNumber("first", minimum=1),
                                  WholeNumber("second", minimum=1))
    log = tree(database.session())
    if first > second or second > log.size:
        raise OutOfRange(N_("need first ≤ second ≤ {log_size}, got {first} and {second}"),
                         {"log_size": log.size, "first": first, "second": second})
    return jsonify({"first": first, "second": second, "first_root": log.root(first).hex(),
                    "second_root": log.root(second).hex(),
                    "proof": [h.hex() for h in log.consistency_proof(first, second)]})


@blueprint.get("/contests/<slug>/draw.json")
def bundle(slug: str) -> Response:
    session = database.session()
    contest = published_contest(session, slug).contest
    data = build_bundle(session, contest=contest, verifier_key=signer().verifier_key())
    response = jsonify(data)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-draw.json"'
    return response


@blueprint.get("/contests/<slug>/verify")
def verify_page(slug: str) -> str:
    session = database.session()
    contest = published_contest(session, slug).contest
    record = find_draw(session, contest)
    messages = {code: gettext(text) for code, text in VERIFY_MESSAGES.items()}
    return render_template("public/verify.html", contest=contest,
                           drawn=record is not None and record.seed is not None,
                           key=signer().verifier_key(), messages=messages,
                           witnesses=[witness.verifier.key() for witness in witnesses()])


@blueprint.get("/contests/<slug>/results")
def results(slug: str) -> str:
    session = database.session()
    found = published_contest(session, slug)
    contest, zone = found.contest, found.rules.period.timezone
    record = find_draw(session, contest)
    checking = (record is not None and record.seed is not None and record.rechecked_at is None
                and needs_recheck(frozen_rules(session, record)))
    drawn = (certificate(session, record) if record is not None and record.seed
             and not checking else None)
    ticket = request.args.get("ticket", "").strip().lower()
    lookup = look_up_ticket(record, ticket) if ticket and record is not None else None
    return render_template("public/results.html", contest=contest, record=record,
                           certificate=drawn, checking=checking, zone=zone, ticket=ticket,
                           lookup=lookup,
                           status=public_status(contest_stage(session, contest, now())),
                           randomness=(randomness_in_words(named_randomness(record), zone)
                                       if record is not None else ""),
                           reasons=REPLACEMENT_LABELS,
                           reads=[(number + 1, read) for number, read in
                                  sorted(latest_reads(session, contest).items())],
                           gap_reasons=GAP_REASONS,
                           eligible_count=frozen_count(record) if record is not None else 0,
                           excluded_counts=(excluded_by_reason(record)
                                            if record is not None else {}),
                           key=signer().verifier_key(),
                           checkpoint=latest_checkpoint(session))


def randomness_in_words(named: NamedRandomness, zone: str) -> str:
    """The public randomness a draw used, as a sentence's part in the page's language:
    "drand round 1,000,000 of the League of Entropy, published at …"."""
    published = moment(named.published_at, zone)
    if named.source == RandomnessSource.DRAND:
        return gettext("drand round %(round)s of the League of Entropy, published at "
                       "%(moment)s", round=grouped(named.round or 0), moment=published)
    language = str(get_locale())
    if named.source == RandomnessSource.RFC3797:
        numbers = format_list([gettext(PUBLIC_NUMBERS.get(code, code))
                               for code in named.announced], locale=language)
        return gettext("the numbers of %(numbers)s published at %(moment)s, turned into a "
                       "random number as RFC 3797 describes", numbers=numbers,
                       moment=published)
    parties = format_list([gettext(PARTY_LABELS.get(party, party))  # type: ignore[call-overload]
                           for party in named.parties], locale=language)
    return gettext("the secrets of %(parties)s, committed before the entries closed and "
                   "revealed after the freeze", parties=parties)
