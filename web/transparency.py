"""The public record: the log's API (checkpoint, entries, proofs), draw results, bundles.

Anyone can fetch these without an account and check them without trusting this server:
the log key is published at ``/log/key``, the protocol in docs/PROTOCOL.md.
"""

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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
from sqlmodel import select

from contest.draw.bundle import build_bundle
from contest.draw.service import current_winners, find_draw
from contest.errors import ContestError, FieldError, InvalidInput
from contest.i18n import N_
from contest.ledger.keys import load_or_create_signer
from contest.ledger.merkle import MerkleTree, leaf_hash
from contest.ledger.note import Signer
from contest.ledger.store import latest_checkpoint, log_size, read_entries, tree
from contest.masking import mask_name
from contest.models import DrawRecord, Entry
from contest.rules.publishing import find_contest
from web import database

blueprint = Blueprint("transparency", __name__)
MAX_ENTRIES = 1000


def init_app(app: Flask) -> None:
    origin = urlparse(app.config["BASE_URL"]).netloc + "/log"
    app.extensions["contest.signer"] = load_or_create_signer(Path(app.instance_path), origin)
    app.register_blueprint(blueprint)


def signer() -> Signer:
    value: Signer = current_app.extensions["contest.signer"]
    return value


def _integer(name: str, minimum: int = 0) -> int:
    raw = request.args.get(name, "")
    try:
        value = int(raw)
        if value < minimum:
            raise ValueError
    except ValueError:
        raise InvalidInput(N_("the request has {count} errors"), [FieldError(
            name, "not_integer", N_("must be a whole number ≥ {minimum}, got {value}"),
            {"minimum": minimum, "value": raw})]) from None
    return value


@blueprint.get("/log/key")
def key() -> Response:
    return Response(signer().verifier_key() + "\n", mimetype="text/plain")


@blueprint.get("/log/checkpoint")
def checkpoint() -> Response:
    row = latest_checkpoint(database.session())
    if row is None:
        abort(404)
    return Response(row.note, mimetype="text/plain; charset=utf-8")


@blueprint.get("/log/entries")
def entries() -> Response:
    start, end = _integer("start"), _integer("end")
    end = min(end, start + MAX_ENTRIES, log_size(database.session()))
    rows = read_entries(database.session(), start, end)
    return jsonify({"start": start, "entries": [
        {"index": row.leaf_index, "leaf": row.leaf, "leaf_hash": row.leaf_hash}
        for row in rows]})


@blueprint.get("/log/proof/inclusion")
def inclusion() -> Response:
    index, size = _integer("index"), _integer("size", 1)
    log = tree(database.session())
    if index >= size or size > log.size:
        raise ContestError(N_("need index < size ≤ {log_size}, got index {index}, size {size}"),
                           {"log_size": log.size, "index": index, "size": size})
    return jsonify({"index": index, "size": size, "root": log.root(size).hex(),
                    "proof": [h.hex() for h in log.inclusion_proof(index, size)]})


@blueprint.get("/log/proof/consistency")
def consistency() -> Response:
    first, second = _integer("first", 1), _integer("second", 1)
    log = tree(database.session())
    if first > second or second > log.size:
        raise ContestError(N_("need first ≤ second ≤ {log_size}, got {first} and {second}"),
                           {"log_size": log.size, "first": first, "second": second})
    return jsonify({"first": first, "second": second, "first_root": log.root(first).hex(),
                    "second_root": log.root(second).hex(),
                    "proof": [h.hex() for h in log.consistency_proof(first, second)]})


@blueprint.get("/contests/<slug>/draw.json")
def bundle(slug: str) -> Response:
    session = database.session()
    data = build_bundle(session, contest=find_contest(session, slug),
                        verifier_key=signer().verifier_key())
    response = jsonify(data)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-draw.json"'
    return response


@blueprint.get("/contests/<slug>/results")
def results(slug: str) -> str:
    session = database.session()
    contest = find_contest(session, slug)
    record = find_draw(session, contest)
    winners = []
    if record is not None and record.seed is not None:
        for ticket in current_winners(session, record):
            entry = session.exec(select(Entry).where(Entry.ticket == ticket)).first()
            winners.append({"ticket": ticket, "name": mask_name(entry.full_name) if entry else "",
                            "region": (entry.country or "") if entry else ""})
    ticket = request.args.get("ticket", "").strip().lower()
    lookup = _lookup(record, ticket) if ticket and record is not None else None
    return render_template("public/results.html", contest=contest, record=record,
                           winners=winners, ticket=ticket, lookup=lookup,
                           key=signer().verifier_key(),
                           checkpoint=latest_checkpoint(session))


def _lookup(record: DrawRecord, ticket: str) -> dict[str, Any]:
    """Was this ticket in the draw? Eligible ones come with their inclusion proof."""
    tickets = record.tickets.split("\n") if record.tickets else []
    excluded = {item["ticket"]: item["reason"] for item in json.loads(record.excluded_json)}
    if ticket in excluded:
        return {"status": "excluded", "reasons": excluded[ticket].split(",")}
    try:
        index = tickets.index(ticket)
    except ValueError:
        return {"status": "unknown"}
    entries = MerkleTree([leaf_hash(t.encode("ascii")) for t in tickets])
    return {"status": "eligible", "index": index, "size": len(tickets),
            "proof": [h.hex() for h in entries.inclusion_proof(index, len(tickets))]}
