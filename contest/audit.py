"""Who changed what, and when: one :class:`AuditRecord` per state change."""

import json
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session

from contest.models import AuditRecord


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject: str,
    now: datetime,
    detail: Mapping[str, object] | None = None,
) -> AuditRecord:
    """Add an audit record to ``session`` (committed with the change it describes)."""
    row = AuditRecord(
        at=now,
        actor_id=actor_id,
        action=action,
        subject=subject,
        detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, default=str),
    )
    session.add(row)
    return row
