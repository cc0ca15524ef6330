"""A claimed item made ready for the screen: its media downloaded and covered (blurred, grayscale) in memory.

prepare_review_item runs on a worker thread (blocking HTTP and image work, QImage only), so when the moderator
reaches the item nothing is left to wait for.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QSize

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import ApiError
from moderator_app.core.models import Claim, ClaimedItem, DecisionRequest, Item, ItemKind, MediaKind, MediaRef, Queue
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.media.prepare import PreparedMedia, placeholder_image, prepare_media

log = logging.getLogger(__name__)

MAX_MEDIA_PER_ITEM = 6  # a flagged channel's recent posts can carry many files; the screen shows a handful
POST_ONLY_ACTIONS = frozenset({Action.REMOVE_POST, Action.RESTRICT_POST, Action.LABEL_SENSITIVE})


@dataclass
class ReviewItem:
    """An item the moderator holds a claim on, with its media prepared. claim changes when the lease is renewed."""

    item: Item
    claim: Claim
    media: list[PreparedMedia]

    @property
    def id(self) -> int:
        return self.item.id


def media_refs(item: Item) -> list[MediaRef]:
    """The media to show: the flagged post's files, or for a channel the files of its recent posts."""
    if item.kind is ItemKind.POST and item.post is not None:
        refs = list(item.post.media)
    else:
        refs = [ref for post in item.context_posts for ref in post.media]
    return refs[:MAX_MEDIA_PER_ITEM]


def prepare_review_item(api: ApiClient, claimed: ClaimedItem, display_size: QSize) -> ReviewItem:
    """Blocking: download and cover every media file of a claimed item. Never raises for bad or missing media."""
    prepared = [_prepare_one(api, ref, display_size) for ref in media_refs(claimed.item)]
    return ReviewItem(item=claimed.item, claim=claimed.claim, media=prepared)


def _prepare_one(api: ApiClient, ref: MediaRef, display_size: QSize) -> PreparedMedia:
    if ref.kind is MediaKind.VIDEO:
        # Videos are not played yet; downloading one just to show a placeholder would waste the prefetch budget.
        return _placeholder(ref, "video preview is not available yet", display_size)
    try:
        data = api.media(ref.id)
    except ApiError as error:
        log.info("media %s could not be downloaded: %s", ref.id, error.code)
        return _placeholder(ref, str(error), display_size)
    return prepare_media(ref.id, data.data, declared_mime=data.mime_type or ref.mime_type, display_size=display_size)


def _placeholder(ref: MediaRef, reason: str, display_size: QSize) -> PreparedMedia:
    image = placeholder_image(reason, display_size)
    return PreparedMedia(
        media_id=ref.id, covered=image, original=None, error=reason, width=ref.width, height=ref.height
    )


def default_reason(item: Item, queue: Queue | None) -> PolicyReason | None:
    """The reason most reporters gave (ties: the one reported first), else the queue's default."""
    if item.reports:
        counts = Counter(report.reason for report in sorted(item.reports, key=lambda r: r.created_at))
        return counts.most_common(1)[0][0]
    return queue.default_reason if queue is not None else None


def build_request(
    item: Item,
    queue: Queue | None,
    action: Action,
    reason: PolicyReason | None = None,
    note: str = "",
    escalation_target: EscalationTarget | None = None,
    territorial_scope: list[str] | None = None,
) -> DecisionRequest:
    """A decision with the defaults a one-key decision needs. Raises ValueError when the policy forbids it."""
    if item.kind is ItemKind.CHANNEL and action in POST_ONLY_ACTIONS:
        raise ValueError(f"{action.value} applies to posts; this item is a channel")
    if action is Action.ESCALATE and escalation_target is None:
        escalation_target = EscalationTarget.LEAD
    request = DecisionRequest(
        action=action,
        reason=reason or default_reason(item, queue),
        note=note.strip(),
        territorial_scope=territorial_scope,
        escalation_target=escalation_target,
    )
    problems = request.problems()
    if problems:
        raise ValueError("; ".join(problems))
    return request
