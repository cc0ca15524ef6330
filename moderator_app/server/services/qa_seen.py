"""The sampled decisions a QA reviewer has seen already through their other work: the QA claim skips them.

A second review is blind only when the reviewer comes to the decision fresh. What someone merely read leaves no trace
(an item page, the audit log, the appeals list), so what counts is what the database records as their own actions:

- on the sampled item, at any time: a decision of theirs (the sampled one, an escalation, an earlier decision), a
  revert of one of its decisions, a note on it, an appeal on it that they filed, hold or decided, a QA review of an
  earlier decision on it;
- on any item of the same channel (the sampled item included), from the sampled decision on: an item or an appeal
  handed to them by their claim, whose channel history lists the decision (the audit log keeps every claim, one that
  lapsed to someone else included: an appeal row names only its last holder), and a QA sample of a later decision
  there, whose blind history runs up to that later decision (qa_blind).

A sample the reviewer holds already stays theirs whatever they did meanwhile: while they hold it, nothing shows them
the decision (qa_blind). A skipped sample is not touched: it stays pending for the other reviewers, and simply waits
when nobody else may take it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import aliased

from moderator_app.core.models import QaSampleStatus
from moderator_app.server.tables import AppealRow, AuditRow, DecisionRow, ItemNoteRow, ItemRow, QaSampleRow

# Audit actions that hand the actor an item with its channel history (services/claims.py, services/appeals.py).
_HANDED_AN_ITEM = ("claim", "appeal_claim")


def _on_the_item(actor_id: int) -> ColumnElement[bool]:
    """The reviewer's own records on the sampled item, whenever they were made."""
    decision = aliased(DecisionRow)
    earlier_sample = aliased(QaSampleRow)
    item_id = QaSampleRow.item_id
    return or_(
        exists().where(
            decision.item_id == item_id, or_(decision.user_id == actor_id, decision.reverted_by == actor_id)
        ),
        exists().where(ItemNoteRow.item_id == item_id, ItemNoteRow.user_id == actor_id),
        exists().where(
            AppealRow.item_id == item_id,
            or_(AppealRow.filed_by == actor_id, AppealRow.claimed_by == actor_id, AppealRow.decided_by == actor_id),
        ),
        exists().where(
            earlier_sample.item_id == item_id,
            earlier_sample.id != QaSampleRow.id,
            earlier_sample.reviewer_id == actor_id,
        ),
    )


def _in_the_channel_since(actor_id: int) -> ColumnElement[bool]:
    """The reviewer was handed an item of the sampled item's channel whose history listed the sampled decision."""
    handed = aliased(ItemRow)
    other_item = aliased(ItemRow)
    other_sample = aliased(QaSampleRow)
    other_decision = aliased(DecisionRow)
    return or_(
        exists(
            select(AuditRow.id)
            .join(handed, handed.id == AuditRow.item_id)
            .where(
                handed.channel_id == ItemRow.channel_id,
                AuditRow.actor_id == actor_id,
                AuditRow.action.in_(_HANDED_AN_ITEM),
                # At the same moment the order is unknown: counted as seen, the safe side for a blind review.
                AuditRow.at >= DecisionRow.decided_at,
            )
        ),
        exists(
            select(AuditRow.id)
            .join(other_sample, other_sample.item_id == AuditRow.item_id)
            .join(other_decision, other_decision.id == other_sample.decision_id)
            .join(other_item, other_item.id == other_sample.item_id)
            .where(
                other_item.channel_id == ItemRow.channel_id,
                AuditRow.actor_id == actor_id,
                AuditRow.action == "qa_claim",
                # Blind history stops before the held decision, so only a later one's showed the sampled decision.
                other_decision.decided_at > DecisionRow.decided_at,
            )
        ),
    )


def fresh_to(actor_id: int) -> ColumnElement[bool]:
    """Whether the reviewer may be handed the sample: they hold it already, or they have not seen its decision.

    For a query over QaSampleRow joined with its decision (DecisionRow) and its item (ItemRow)."""
    held = (QaSampleRow.status == QaSampleStatus.CLAIMED.value) & (QaSampleRow.claimed_by == actor_id)
    return held | ~or_(_on_the_item(actor_id), _in_the_channel_since(actor_id))
