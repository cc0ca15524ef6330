"""QA sampling: a configurable share of decisions is drawn for a blind second review as each decision is made.

The draw is deterministic: HMAC-SHA256(secret, decision id) read as a number in [0, 1), sampled when below the rate.
Tests give a known secret and can predict every draw; in production the secret is random and kept in the database,
so nobody can tell in advance which of their decisions will be reviewed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderator_app.core.models import QaSampleStatus, SamplingConfig, SamplingRule
from moderator_app.core.policy import Action
from moderator_app.server.db import immediate
from moderator_app.server.services import settings_store
from moderator_app.server.services.audit import Actor
from moderator_app.server.tables import DecisionRow, QaSampleRow, SettingRow

CONFIG_KEY = "qa_sampling"
SECRET_KEY = "qa_sampling_secret"


def draw(secret: bytes, decision_id: int) -> float:
    """A uniform number in [0, 1) fixed by the secret and the decision id."""
    digest = hmac.new(secret, f"decision:{decision_id}".encode("ascii"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _specificity(rule: SamplingRule) -> int:
    return (rule.queue_id is not None) + (rule.action is not None) + (rule.reason is not None)


def rate_for(config: SamplingConfig, queue_id: int, action: str, reason: str | None) -> float:
    """The most specific matching rule's rate (ties: the higher rate), else the default rate."""
    best: tuple[int, float] | None = None
    for rule in config.rules:
        if rule.queue_id is not None and rule.queue_id != queue_id:
            continue
        if rule.action is not None and rule.action.value != action:
            continue
        if rule.reason is not None and (reason is None or rule.reason.value != reason):
            continue
        candidate = (_specificity(rule), rule.rate)
        if best is None or candidate > best:
            best = candidate
    return best[1] if best is not None else config.default_rate


def is_sampled(secret: bytes, decision_id: int, rate: float) -> bool:
    return rate > 0 and draw(secret, decision_id) < rate


def load_config(session: Session) -> SamplingConfig:
    stored = settings_store.read(session, CONFIG_KEY)
    return SamplingConfig.model_validate(stored) if stored is not None else SamplingConfig()


def save_config(session: Session, actor: Actor, config: SamplingConfig, now: datetime) -> SamplingConfig:
    """Replace the configuration; audited with before and after; commits."""
    before = load_config(session).model_dump(mode="json")
    value = config.model_dump(mode="json")
    settings_store.replace(
        session, actor, CONFIG_KEY, value, now, audit=("qa_sampling_updated", {"before": before, "after": value})
    )
    return config


def ensure_secret(engine: Engine, now: datetime) -> None:
    """Create the sampling secret once per database (at start-up, so decisions never race to create it)."""
    with Session(immediate(engine)) as session:
        if session.get(SettingRow, SECRET_KEY) is not None:
            return
        session.add(SettingRow(key=SECRET_KEY, value={"hex": secrets.token_hex(32)}, updated_at=now))
        try:
            session.commit()
        except IntegrityError:  # another server process made it first
            session.rollback()


def secret(session: Session, configured: str | None) -> bytes:
    if configured is not None:
        return configured.encode("utf-8")
    stored = settings_store.read(session, SECRET_KEY)
    if stored is None:
        raise RuntimeError("the QA sampling secret is missing; create_app makes it at start-up")
    return bytes.fromhex(str(stored["hex"]))


def sample_decision(
    session: Session, decision: DecisionRow, queue_id: int, configured_secret: str | None, now: datetime
) -> QaSampleRow | None:
    """Draw the decision (in the caller's transaction); returns the new sample when it was drawn."""
    if not Action(decision.action).is_final:
        return None  # an escalation hands the item on; the final decision after it is what gets reviewed
    rate = rate_for(load_config(session), queue_id, decision.action, decision.reason)
    if not is_sampled(secret(session, configured_secret), decision.id, rate):
        return None
    sample = QaSampleRow(
        decision_id=decision.id,
        item_id=decision.item_id,
        queue_id=queue_id,
        moderator_id=decision.user_id,
        rate=rate,
        sampled_at=now,
        status=QaSampleStatus.PENDING.value,
    )
    session.add(sample)
    return sample
