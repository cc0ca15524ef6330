"""SQLAlchemy 2 tables of the reference server. The schema is created and changed by Alembic migrations only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.interfaces import ExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from moderator_app.core import deadlines as core_deadlines


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone, so it is stored naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


#: Row ids and every reference to one: 64-bit on PostgreSQL, where a platform's items, posts, reports and audit rows
#: outgrow 2^31. SQLite's INTEGER is 64-bit already, and a primary key must stay INTEGER there to be the rowid.
RowId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    # An int column without a type of its own is an id (primary key, foreign key, or a reference kept loose on
    # purpose, like the audit log's); counts and sizes say Integer.
    type_annotation_map = {int: RowId, datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(256))
    roles: Mapped[str] = mapped_column(String(128))  # comma-separated Role values
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TokenRow(Base):
    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the opaque token
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


# Queues whose post text is masked until revealed unless a lead says otherwise (0004).
SENSITIVE_QUEUE_KEYS = frozenset({"child_safety"})


def _default_sensitive(context: ExecutionContext) -> bool:
    # Also for plain Core inserts (the demo seeder's): a new child-safety queue is sensitive from the start.
    return context.get_current_parameters().get("key") in SENSITIVE_QUEUE_KEYS  # type: ignore[attr-defined]


class QueueRow(Base):
    __tablename__ = "queues"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    description: Mapped[str] = mapped_column(Text, default="")
    default_reason: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    sla_seconds: Mapped[int] = mapped_column(Integer)
    # 0004: mask post text until revealed; the decision keys ([{slot, action, reason, title}], None: the defaults
    # for the queue's key, services/decision_sets.py).
    sensitive: Mapped[bool] = mapped_column(Boolean, default=_default_sensitive, server_default=false())
    decision_set: Mapped[list[Any] | None] = mapped_column(JSON)


class ChannelRow(Base):
    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    subscribers: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    strikes: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(8))


class PostRow(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8))
    posted_at: Mapped[datetime]
    views: Mapped[int] = mapped_column(Integer, default=0)
    forwarded_from: Mapped[str | None] = mapped_column(String(256))
    __table_args__ = (Index("ix_posts_channel_posted", "channel_id", "posted_at"),)


class MediaRow(Base):
    __tablename__ = "media"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))  # MediaKind
    mime_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    dhash: Mapped[str | None] = mapped_column(String(64))  # 0004: perceptual hash, 64 hex digits (media_hash.py)


class MediaBlobRow(Base):
    """The bytes of a media file, for deployments that keep media in the database (the demo does)."""

    __tablename__ = "media_blobs"
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


def at_risk_from(flagged_at: datetime, deadline: datetime) -> datetime:
    """When an item becomes at risk: a fifth of its service level (flag to deadline) is left (core.deadlines)."""
    return core_deadlines.at_risk_from(flagged_at, deadline)


def _default_at_risk_at(context: ExecutionContext) -> datetime | None:
    # Also for plain Core inserts (the demo seeder's), so every item row knows when it becomes at risk.
    params = context.get_current_parameters()  # type: ignore[attr-defined]
    flagged_at, deadline = params.get("flagged_at"), params.get("deadline")
    if isinstance(flagged_at, datetime) and isinstance(deadline, datetime):
        return at_risk_from(flagged_at, deadline)
    return None


class ItemRow(Base):
    """A flagged post or channel waiting for (or carrying) a decision."""

    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # ItemKind
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # ItemStatus
    flagged_at: Mapped[datetime]
    deadline: Mapped[datetime]
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lease_expires_at: Mapped[datetime | None]
    decision_id: Mapped[int | None] = mapped_column()  # the decision in force
    # 0002: a lead's assignment (that moderator's claims get the item first), when the live claim was taken, and
    # when the item becomes at risk (kept with the deadline: set_deadline in services/deadlines.py).
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None]
    at_risk_at: Mapped[datetime | None] = mapped_column(default=_default_at_risk_at)
    __table_args__ = (
        Index("ix_items_queue_status_deadline", "queue_id", "status", "deadline"),
        Index("ix_items_claimed_by", "claimed_by"),
        Index("ix_items_channel", "channel_id"),
        Index("ix_items_assigned_to", "assigned_to"),
    )


class ReportRow(Base):
    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(32))  # ReportSource
    reason: Mapped[str] = mapped_column(String(32))  # PolicyReason
    comment: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime]


class SignalRow(Base):
    __tablename__ = "signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # SignalKind
    label: Mapped[str] = mapped_column(String(128))
    score: Mapped[float | None] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(String(256), default="")


class DecisionRow(Base):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))  # Action
    reason: Mapped[str | None] = mapped_column(String(32))  # PolicyReason
    note: Mapped[str] = mapped_column(Text, default="")
    territorial_scope: Mapped[list[str] | None] = mapped_column(JSON)
    escalation_target: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime]
    reverted_at: Mapped[datetime | None]
    reverted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revert_note: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None]  # 0002: when the decider's claim began (handling time)
    revert_kind: Mapped[str | None] = mapped_column(String(16))  # 0003: RevertKind
    ban_scope: Mapped[str | None] = mapped_column(String(24))  # 0004: BanScope, for ban_channel
    __table_args__ = (Index("ix_decisions_decided_at", "decided_at"),)  # 0002: team figures read recent decisions


class IdempotencyRow(Base):
    """The first answer to a request with an Idempotency-Key, replayed for every retry of it."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(128))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)


class AuditRow(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int | None] = mapped_column()
    queue_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # 0002: every filter is an equality followed by "id below the cursor, newest first", so each index ends in id
    # and a page is an index range scan however many rows there are.
    __table_args__ = (
        Index("ix_audit_log_action_id", "action", "id"),
        Index("ix_audit_log_item_id_id", "item_id", "id"),
        Index("ix_audit_log_actor_id", "actor_name", "id"),
        Index("ix_audit_log_queue_id_id", "queue_id", "id"),
        Index("ix_audit_log_at_id", "at", "id"),
    )


class ReassignOperationRow(Base):
    """A bulk move of items, kept so it can be undone for a short while (0002)."""

    __tablename__ = "reassign_operations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # uuid4 hex
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))  # "reassign", "release_stale", "queue_settings", "decision_set"
    created_at: Mapped[datetime]
    undo_until: Mapped[datetime]
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    # [{"id", "before": {...}, "after": {...}}] for every item the operation changed
    items: Mapped[list[Any]] = mapped_column(JSON)
    last_audit_id: Mapped[int] = mapped_column()  # audit rows after this one mean "touched since"
    undone_at: Mapped[datetime | None]
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ExposureRow(Base):
    """Seconds of revealed media a client reported (0002): wellness figures for leads, never the media itself."""

    __tablename__ = "exposure_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    item_id: Mapped[int | None] = mapped_column()
    media_id: Mapped[int | None] = mapped_column()
    seconds: Mapped[float] = mapped_column(Float)
    reported_at: Mapped[datetime]
    __table_args__ = (Index("ix_exposure_user_reported", "user_id", "reported_at"),)


class SettingRow(Base):
    """Server settings changed at run time (0003): the QA sampling configuration and secret."""

    __tablename__ = "server_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class QaSampleRow(Base):
    """A decision drawn for a blind second review, and that review (0003)."""

    __tablename__ = "qa_samples"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))  # the queue the decision was made in
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rate: Mapped[float] = mapped_column(Float)  # the sampling rate that applied
    sampled_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # QaSampleStatus
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claim_expires_at: Mapped[datetime | None]
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_action: Mapped[str | None] = mapped_column(String(32))
    review_reason: Mapped[str | None] = mapped_column(String(32))
    review_note: Mapped[str | None] = mapped_column(Text)
    review_territorial_scope: Mapped[list[str] | None] = mapped_column(JSON)  # 0005: a geo-restriction's countries
    review_ban_scope: Mapped[str | None] = mapped_column(String(24))  # 0005: BanScope, for ban_channel
    reviewed_at: Mapped[datetime | None]
    agree: Mapped[bool | None] = mapped_column(Boolean)
    verdict_reason: Mapped[str | None] = mapped_column(Text)
    verdict_at: Mapped[datetime | None]
    __table_args__ = (
        Index("ix_qa_samples_status_sampled", "status", "sampled_at"),
        Index("ix_qa_samples_reviewed_at", "reviewed_at"),
    )


class QaDisputeRow(Base):
    """A QA disagreement waiting for a lead (0003)."""

    __tablename__ = "qa_disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("qa_samples.id"), unique=True)
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # DisputeStatus
    outcome: Mapped[str | None] = mapped_column(String(16))  # DisputeOutcome
    note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_qa_disputes_status_created", "status", "created_at"),)


class AppealRow(Base):
    """A user's appeal against a decision (DSA Art. 20), decided by someone other than the decider (0003)."""

    __tablename__ = "appeals"
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    queue_id: Mapped[int] = mapped_column(ForeignKey("queues.id"))
    statement: Mapped[str] = mapped_column(Text)
    contact_ref: Mapped[str] = mapped_column(String(200))
    filed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime]
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # AppealStatus
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claim_expires_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # AppealOutcome
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_appeals_status_deadline", "status", "deadline"),)


class ItemNoteRow(Base):
    """A colleague's note on an item (0004): shown in the history of the item and of its channel's other items."""

    __tablename__ = "item_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
