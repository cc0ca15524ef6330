"""Typed calls for the lead, QA, appeals and audit endpoints (issues 5 and 6), on top of ApiClient's plumbing.

Kept apart from api.py so the moderator's hot path stays small; it uses the same session, token and error mapping
(ApiClient._send/_model/_list), so every failure is an ApiError whose text a lead can read (403 included).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import BAD_RESPONSE, UNDERSTOOD_NOTHING, ServerError
from moderator_app.core.models import (
    AgreementGroupBy,
    AgreementReport,
    Appeal,
    AppealClaim,
    AppealDecisionRequest,
    AppealRequest,
    AuditPage,
    DecisionOption,
    DecisionSetResult,
    DecisionSetUpdate,
    DisputeResolution,
    ModeratorStats,
    QaClaimBatch,
    QaDispute,
    QaReviewOutcome,
    QaReviewRequest,
    QaSample,
    QaVerdictRequest,
    Queue,
    QueueSettingsResult,
    QueueUpdate,
    ReassignPreview,
    ReassignRequest,
    ReassignResult,
    ReassignUndoResult,
    ReleaseStalePreview,
    ReleaseStaleRequest,
    SamplingConfig,
    TeamItemPage,
    TeamItemQuery,
    TeamQueueStats,
)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

_MODERATORS = TypeAdapter(list[ModeratorStats])
_DISPUTES = TypeAdapter(list[QaDispute])
_APPEALS = TypeAdapter(list[Appeal])


@dataclass(frozen=True)
class Polled(Generic[T]):
    """An answer to a conditional GET: value is None when the server said 304 (keep what you have)."""

    value: T | None
    etag: str | None

    @property
    def unchanged(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class AuditQuery:
    """The audit viewer's filters; None means "any"."""

    actor: str | None = None
    action: str | None = None
    item_id: int | None = None
    queue_id: int | None = None
    start: datetime | None = None  # at or after
    end: datetime | None = None  # before

    def params(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "actor": self.actor,
            "action": self.action,
            "item_id": self.item_id,
            "queue_id": self.queue_id,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}


class TeamApi:
    """Blocking calls (run them on the BackgroundRunner); shares the ApiClient's connection and token."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    # --- plumbing ---------------------------------------------------------------------------------------

    def _post(self, model: type[M], path: str, body: BaseModel | None = None) -> M:
        payload = body.model_dump(mode="json") if body is not None else None
        return self.api._model(model, "POST", path, json=payload)

    def _polled(self, parse: Callable[[Any], T], path: str, etag: str | None, params: dict[str, Any]) -> Polled[T]:
        headers = {"If-None-Match": etag} if etag else None
        response = self.api._send("GET", path, params=params, headers=headers)
        new_etag = response.headers.get("ETag", etag)
        if response.status_code == 304:
            response.close()
            return Polled(None, new_etag)
        try:
            return Polled(parse(response.json()), new_etag)
        except (ValueError, ValidationError) as exc:
            raise ServerError(f"{UNDERSTOOD_NOTHING}.", code=BAD_RESPONSE) from exc

    # --- team -------------------------------------------------------------------------------------------

    def queue_stats(self, etag: str | None = None, hours: int = 12, bucket_minutes: int = 60) -> Polled[TeamQueueStats]:
        """GET /team/queues/stats with If-None-Match: an unchanged dashboard costs no body."""
        params = {"hours": hours, "bucket_minutes": bucket_minutes}
        return self._polled(TeamQueueStats.model_validate, "/team/queues/stats", etag, params)

    def moderators(self) -> list[ModeratorStats]:
        return self.api._list(_MODERATORS, "GET", "/team/moderators")

    def moderators_polled(self, etag: str | None = None) -> Polled[list[ModeratorStats]]:
        """GET /team/moderators with If-None-Match (304 while nobody's figures changed)."""
        return self._polled(_MODERATORS.validate_python, "/team/moderators", etag, {})

    def team_items(self, query: TeamItemQuery) -> TeamItemPage:
        """GET /team/items: the open items a move's filter selects, without their content (the lead's picker)."""
        values = query.model_dump(mode="json", exclude_none=True)
        params = {key: str(value).lower() if isinstance(value, bool) else value for key, value in values.items()}
        return self.api._model(TeamItemPage, "GET", "/team/items", params=params)

    def reassign_preview(self, request: ReassignRequest) -> ReassignPreview:
        return self._post(ReassignPreview, "/team/reassign/preview", request)

    def reassign(self, request: ReassignRequest) -> ReassignResult:
        return self._post(ReassignResult, "/team/reassign", request)

    def undo_reassign(self, operation_id: str) -> ReassignUndoResult:
        return self._post(ReassignUndoResult, f"/team/reassign/{operation_id}/undo")

    def release_stale_preview(self, request: ReleaseStaleRequest) -> ReleaseStalePreview:
        return self._post(ReleaseStalePreview, "/team/claims/release-stale/preview", request)

    def release_stale(self, request: ReleaseStaleRequest) -> ReassignResult:
        return self._post(ReassignResult, "/team/claims/release-stale", request)

    def update_queue(self, queue_id: int, update: QueueUpdate) -> Queue:
        body = update.model_dump(mode="json", exclude_none=True)
        return self.api._model(Queue, "PATCH", f"/queues/{int(queue_id)}", json=body)

    def change_queue_settings(self, queue_id: int, update: QueueUpdate) -> QueueSettingsResult:
        """Like update_queue, answering the operation that undoes it (undo_reassign) until its undo_until."""
        body = update.model_dump(mode="json", exclude_none=True)
        return self.api._model(QueueSettingsResult, "POST", f"/team/queues/{int(queue_id)}/settings", json=body)

    def change_decision_set(self, queue_id: int, options: list[DecisionOption]) -> DecisionSetResult:
        """Replace the queue's decision keys (an empty list: its defaults); undoable with undo_reassign until
        undo_until. A set the server refuses is an InvalidRequest naming each problem ("key 3: ...")."""
        path = f"/team/queues/{int(queue_id)}/decision-set"
        return self._post(DecisionSetResult, path, DecisionSetUpdate(options=options))

    # --- QA ---------------------------------------------------------------------------------------------

    def sampling(self) -> SamplingConfig:
        return self.api._model(SamplingConfig, "GET", "/qa/sampling")

    def set_sampling(self, config: SamplingConfig) -> SamplingConfig:
        return self.api._model(SamplingConfig, "PUT", "/qa/sampling", json=config.model_dump(mode="json"))

    def qa_claim(self, count: int = 1) -> QaClaimBatch:
        return self.api._model(QaClaimBatch, "POST", "/qa/claims", json={"count": count})

    def qa_review(self, sample_id: int, request: QaReviewRequest) -> QaReviewOutcome:
        return self._post(QaReviewOutcome, f"/qa/samples/{int(sample_id)}/review", request)

    def qa_verdict(self, sample_id: int, request: QaVerdictRequest) -> QaSample:
        return self._post(QaSample, f"/qa/samples/{int(sample_id)}/verdict", request)

    def disputes(self, status: str = "open", limit: int = 200) -> list[QaDispute]:
        return self.api._list(_DISPUTES, "GET", "/qa/disputes", params={"status": status, "limit": limit})

    def resolve_dispute(self, dispute_id: int, resolution: DisputeResolution) -> QaDispute:
        return self._post(QaDispute, f"/qa/disputes/{int(dispute_id)}/resolve", resolution)

    def agreement(
        self, group_by: AgreementGroupBy, start: datetime | None = None, end: datetime | None = None
    ) -> AgreementReport:
        return self.api._model(AgreementReport, "GET", "/qa/agreement", params=_range(group_by, start, end))

    def agreement_csv(
        self, group_by: AgreementGroupBy, start: datetime | None = None, end: datetime | None = None
    ) -> str:
        """The server's own CSV of the report (the same figures as agreement())."""
        params = {**_range(group_by, start, end), "format": "csv"}
        response = self.api._send("GET", "/qa/agreement", params=params)
        with response:
            return response.content.decode("utf-8")

    # --- audit ------------------------------------------------------------------------------------------

    def audit_page(self, query: AuditQuery, cursor: str | None = None, limit: int = 200) -> AuditPage:
        params: dict[str, Any] = {**query.params(), "limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return self.api._model(AuditPage, "GET", "/audit", params=params)

    # --- appeals ----------------------------------------------------------------------------------------

    def appeals(self, status: str = "open", limit: int = 200) -> list[Appeal]:
        return self.api._list(_APPEALS, "GET", "/appeals", params={"status": status, "limit": limit})

    def appeal(self, appeal_id: int) -> Appeal:
        return self.api._model(Appeal, "GET", f"/appeals/{int(appeal_id)}")

    def file_appeal(self, request: AppealRequest) -> Appeal:
        return self._post(Appeal, "/appeals", request)

    def claim_appeal(self, appeal_id: int) -> AppealClaim:
        return self._post(AppealClaim, f"/appeals/{int(appeal_id)}/claim")

    def decide_appeal(self, appeal_id: int, request: AppealDecisionRequest) -> Appeal:
        return self._post(Appeal, f"/appeals/{int(appeal_id)}/decide", request)


def _range(group_by: AgreementGroupBy, start: datetime | None, end: datetime | None) -> dict[str, Any]:
    params: dict[str, Any] = {"group_by": AgreementGroupBy(group_by).value}
    if start is not None:
        params["from"] = start.isoformat()
    if end is not None:
        params["to"] = end.isoformat()
    return params
