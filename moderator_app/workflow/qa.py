"""QA: the blind second review (claim a sampled decision, decide it yourself, then see the original and give a
verdict), the leads' disputes, and the agreement figures with their CSV export.

Everything that talks to the server runs on the BackgroundRunner; the media of a sampled item is prepared (blurred,
grayscale) on a worker exactly as for the moderator, in memory only.
"""

from __future__ import annotations

import csv
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QSize, Signal

from moderator_app.client.team_api import TeamApi
from moderator_app.core.models import (
    AgreementGroupBy,
    AgreementReport,
    BanScope,
    Claim,
    ClaimedItem,
    DisputeOutcome,
    DisputeResolution,
    QaBlindItem,
    QaDispute,
    QaReviewOutcome,
    QaReviewRequest,
    QaSample,
    QaVerdictRequest,
    Queue,
)
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.workflow.audit_model import safe_cell
from moderator_app.workflow.items import ReviewItem, default_reason, prepare_review_item
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

T = TypeVar("T")
DISPLAY_SIZE = QSize(960, 640)


class QaPhase(StrEnum):
    IDLE = "idle"  # nothing claimed (or nothing waits)
    LOADING = "loading"
    DECIDING = "deciding"  # the reviewer sees the item, not the original decision
    VERDICT = "verdict"  # own decision recorded: the original is shown, agree or disagree
    SENDING = "sending"


class _Jobs(QObject):
    """Runs server calls on the runner; failures become the `error` signal with the server's own sentence."""

    error = Signal(str)

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self.runner = runner

    def _do(self, call: Callable[..., T], *args: Any, then: Callable[[T], None], name: str) -> None:
        async def go() -> None:
            then(await self.runner.call(call, *args))

        self.runner.spawn(go(), on_error=self._failed, name=name)

    def _spawn(self, coro: Awaitable[None], name: str) -> None:
        self.runner.spawn(coro, on_error=self._failed, name=name)  # type: ignore[arg-type]

    def _failed(self, error: BaseException) -> None:
        self.error.emit(describe_error(error))


@dataclass
class BlindSample:
    """A sampled decision's item, blind (no decision), with its media prepared like the moderator's."""

    blind: QaBlindItem
    review_item: ReviewItem

    @property
    def sample_id(self) -> int:
        return self.blind.sample_id


class QaSession(_Jobs):
    sample_changed = Signal(object)  # BlindSample | None (None: nothing waits)
    outcome_ready = Signal(object)  # QaReviewOutcome: the original decision, after the reviewer's own
    verdict_saved = Signal(object)  # QaSample
    phase_changed = Signal(str)

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(team, runner, parent)
        self.phase = QaPhase.IDLE
        self.current: BlindSample | None = None
        self.outcome: QaReviewOutcome | None = None
        self._queues: dict[int, Queue] = {}
        self.error.connect(self._recover)

    def _set_phase(self, phase: QaPhase) -> None:
        self.phase = phase
        self.phase_changed.emit(phase.value)

    def _recover(self, _message: str) -> None:
        # A refused step leaves the reviewer where they were, so they can try again.
        if self.phase is QaPhase.SENDING:
            self._set_phase(QaPhase.VERDICT if self.outcome else QaPhase.DECIDING)
        elif self.phase is QaPhase.LOADING:
            self._set_phase(QaPhase.IDLE)

    def next_sample(self) -> None:
        if self.phase in (QaPhase.LOADING, QaPhase.SENDING, QaPhase.DECIDING, QaPhase.VERDICT):
            return
        self._set_phase(QaPhase.LOADING)
        self._spawn(self._claim(), "qa-claim")

    async def _claim(self) -> None:
        if not self._queues:
            self._queues = {q.id: q for q in await self.runner.call(self.team.api.queues)}
        batch = await self.runner.call(self.team.qa_claim, 1)
        if not batch.samples:
            self.current = None
            self._set_phase(QaPhase.IDLE)
            self.sample_changed.emit(None)
            return
        blind = batch.samples[0]
        claimed = ClaimedItem(
            claim=Claim(item_id=blind.item.id, queue_id=blind.item.queue_id, lease_expires_at=blind.claim_expires_at),
            item=blind.item,
        )
        review_item = await self.runner.call(prepare_review_item, self.team.api, claimed, DISPLAY_SIZE)
        self.current = BlindSample(blind, review_item)
        self.outcome = None
        self._set_phase(QaPhase.DECIDING)
        self.sample_changed.emit(self.current)

    def queue_of(self, sample: BlindSample) -> Queue | None:
        """The sampled decision's queue (its decision keys, whether its text is masked)."""
        return self._queues.get(sample.blind.item.queue_id)

    def review(
        self,
        action: Action,
        note: str = "",
        reason: PolicyReason | None = None,
        territories: list[str] | None = None,
        ban_scope: BanScope | None = None,
    ) -> str | None:
        """Record the reviewer's own decision; returns a sentence when it cannot be sent as it is.

        reason: the policy reason of the decision key pressed; without one, the reason the moderator's key would
        have proposed (the one most reporters gave, else the queue's default). territories and ban_scope: what the
        moderator's dialogs ask for a geo-restriction and a ban, sent with the review as with a decision."""
        if self.phase is not QaPhase.DECIDING or self.current is None:
            return None
        item = self.current.blind.item
        if not action.needs_reason:
            reason = None
        elif reason is None:
            reason = default_reason(item, self._queues.get(item.queue_id))
        request = QaReviewRequest(
            action=action, reason=reason, note=note.strip(), territorial_scope=territories, ban_scope=ban_scope
        )
        problems = request.problems()
        if problems:
            return "; ".join(problems)
        self._set_phase(QaPhase.SENDING)
        self._do(self.team.qa_review, self.current.sample_id, request, then=self._reviewed, name="qa-review")
        return None

    def _reviewed(self, outcome: QaReviewOutcome) -> None:
        self.outcome = outcome
        self._set_phase(QaPhase.VERDICT)
        self.outcome_ready.emit(outcome)

    def verdict(self, agree: bool, reason: str = "") -> str | None:
        if self.phase is not QaPhase.VERDICT or self.current is None:
            return None
        if not agree and not reason.strip():
            return "Say why you disagree: the reason goes to the lead with the dispute."
        self._set_phase(QaPhase.SENDING)
        request = QaVerdictRequest(agree=agree, reason=reason.strip())
        self._do(self.team.qa_verdict, self.current.sample_id, request, then=self._judged, name="qa-verdict")
        return None

    def _judged(self, sample: QaSample) -> None:
        self.current = None
        self.outcome = None
        self._set_phase(QaPhase.IDLE)
        self.verdict_saved.emit(sample)


class DisputeBoard(_Jobs):
    """Disagreements waiting for a lead: uphold the original decision or overturn it (reverted on the server)."""

    disputes_changed = Signal(object)  # list[QaDispute]
    resolved = Signal(object)  # QaDispute

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(team, runner, parent)
        self.disputes: list[QaDispute] = []

    def load(self, status: str = "open") -> None:
        self._do(self.team.disputes, status, then=self._loaded, name="disputes")

    def _loaded(self, disputes: list[QaDispute]) -> None:
        self.disputes = disputes
        self.disputes_changed.emit(disputes)

    def resolve(self, dispute_id: int, outcome: DisputeOutcome, note: str) -> str | None:
        if not note.strip():
            return "Write a note: it is audited with the outcome."
        resolution = DisputeResolution(outcome=outcome, note=note.strip())
        self._do(self.team.resolve_dispute, dispute_id, resolution, then=self._resolved, name="dispute-resolve")
        return None

    def _resolved(self, dispute: QaDispute) -> None:
        self.resolved.emit(dispute)
        self.load()


class AgreementFigures(_Jobs):
    report_changed = Signal(object)  # AgreementReport

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(team, runner, parent)
        self.report: AgreementReport | None = None

    def load(self, group_by: AgreementGroupBy, start: datetime | None = None, end: datetime | None = None) -> None:
        self._do(self.team.agreement, group_by, start, end, then=self._loaded, name="agreement")

    def _loaded(self, report: AgreementReport) -> None:
        self.report = report
        self.report_changed.emit(report)

    def export(self, path: Path, done: Callable[[Path], None]) -> None:
        report = self.report
        if report is None:
            self.error.emit("Nothing to export yet: the figures are still loading.")
            return
        self._do(write_agreement_csv, report, path, then=done, name="agreement-export")


AGREEMENT_COLUMNS = (
    "group",
    "label",
    "reviewed",
    "agreed",
    "percent_agreement",
    "kappa",
    "disagreements",
    "overturned",
    "scope_differences",
)


def write_agreement_csv(report: AgreementReport, path: Path) -> Path:
    """The figures shown, one row per group and a last row "overall" (blocking: run it on a worker)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(AGREEMENT_COLUMNS)
        for row in [*report.rows, report.overall]:
            writer.writerow(
                (
                    safe_cell(row.key),
                    safe_cell(row.label),
                    row.reviewed,
                    row.agreed,
                    "" if row.percent_agreement is None else f"{row.percent_agreement:.1f}",
                    "" if row.kappa is None else f"{row.kappa:.3f}",
                    row.disagreements,
                    row.overturned,
                    row.scope_differences,
                )
            )
    return path
