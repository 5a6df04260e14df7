"""The verification bundle of a draw (``GET /contests/<slug>/draw.json``): everything a
sceptic needs to re-check the draw offline, and nothing personal."""

import json
from typing import Any

from sqlmodel import Session

from contest.draw.protocol import PROTOCOL
from contest.draw.service import current_winners, find_draw, replacements_of
from contest.errors import NotFound
from contest.i18n import N_
from contest.ledger.cosignatures import cosigned_note
from contest.ledger.store import latest_checkpoint, read_entries, tree
from contest.models import Contest, RulesVersion
from contest.rules.versions import load_rules, require_logged


def build_bundle(session: Session, *, contest: Contest, verifier_key: str) -> dict[str, Any]:
    record = find_draw(session, contest)
    if record is None or record.seed is None or record.draw_leaf_index is None:
        raise NotFound(N_("{slug} has no draw yet"), {"slug": contest.slug})
    checkpoint = latest_checkpoint(session)
    assert checkpoint is not None
    log = tree(session)
    version = session.get(RulesVersion, record.rules_version_id)
    assert version is not None
    require_logged(session, contest, version)

    def event(index: int) -> dict[str, Any]:
        leaf = read_entries(session, index, index + 1)[0]
        return {"leaf_index": index, "leaf": leaf.leaf,
                "inclusion_proof": [h.hex() for h in log.inclusion_proof(index, checkpoint.size)]}

    replacements = replacements_of(session, record)
    return {
        "protocol": PROTOCOL,
        "contest": contest.slug,
        "rules_sha256": record.rules_sha256,
        "rules": load_rules(version).to_data(),
        "tickets": list(record.tickets),
        "entries_root": record.entries_root,
        "excluded": [item.to_data() for item in record.excluded],
        "randomness": {"source": record.randomness_source, "value": record.value,
                       "proof": json.loads(record.randomness_proof_json or "{}"),
                       "plan": json.loads(record.randomness_plan_json)},
        "seed": record.seed,
        "winners": list(record.winners),
        "alternates": list(record.alternates),
        "replacements": [{"ticket": r.ticket, "reason": r.reason, "replacement": r.replacement,
                          **event(r.leaf_index)} for r in replacements],
        "current_winners": current_winners(session, record),
        "log": {"verifier_key": verifier_key, "tree_size": checkpoint.size},
        "checkpoint": cosigned_note(session, checkpoint),
        "freeze_event": event(record.freeze_leaf_index),
        "draw_event": event(record.draw_leaf_index),
    }


