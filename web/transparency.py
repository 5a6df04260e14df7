"""The public record: the log's API (checkpoint, entries, proofs), draw results, bundles.

Anyone can fetch these without an account and check them without trusting this server:
the log key is published at ``/log/key``, the protocol in docs/PROTOCOL.md.
"""

from pathlib import Path

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

from contest.draw.bundle import build_bundle
from contest.draw.results import look_up_ticket, public_winners
from contest.draw.service import find_draw
from contest.errors import ContestError, FieldError, InvalidInput
from contest.i18n import N_
from contest.ledger.keys import load_or_create_signer
from contest.ledger.note import Signer
from contest.ledger.store import latest_checkpoint, log_size, read_entries, tree
from contest.rules.publishing import find_contest
from web import database

blueprint = Blueprint("transparency", __name__)
MAX_ENTRIES = 1000


def init_app(app: Flask) -> None:
    app.extensions["contest.signer"] = load_or_create_signer(Path(app.instance_path),
                                                             app.config["LOG_ORIGIN"])
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
    winners = public_winners(session, record) if record is not None and record.seed else []
    ticket = request.args.get("ticket", "").strip().lower()
    lookup = look_up_ticket(record, ticket) if ticket and record is not None else None
    return render_template("public/results.html", contest=contest, record=record,
                           winners=winners, ticket=ticket, lookup=lookup,
                           key=signer().verifier_key(),
                           checkpoint=latest_checkpoint(session))

