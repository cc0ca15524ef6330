"""Appeals against decisions (DSA Art. 20): the open appeals with their deadlines, claiming one, deciding it.

The server refuses an appeal to the person who made the decision (403 own_decision_appeal); its message is shown
as it is, through the `error` signal.

A QA reviewer who took an appeal and then a blind QA sample of the same decision must not keep seeing that decision:
the server leaves the appeal out of their list and refuses it (409 review_first) until they have reviewed it, and
the board then lets go of the claim it shows (`claim_withdrawn`, with the server's sentence).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from moderator_app.client.errors import Conflict
from moderator_app.client.team_api import TeamApi
from moderator_app.core.errors import ErrorCode
from moderator_app.core.models import Appeal, AppealClaim, AppealDecisionRequest, AppealOutcome
from moderator_app.workflow.qa import _Jobs
from moderator_app.workflow.tasks import BackgroundRunner, describe_error


class AppealsBoard(_Jobs):
    appeals_changed = Signal(object)  # list[Appeal], earliest deadline first
    claimed = Signal(object)  # AppealClaim
    decided = Signal(object)  # Appeal
    claim_withdrawn = Signal(str)  # the held appeal's decision is under the user's blind QA review: why, in words

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(team, runner, parent)
        self.appeals: list[Appeal] = []
        self.claim: AppealClaim | None = None

    def load(self, status: str = "open") -> None:
        self._do(self.team.appeals, status, then=self._loaded, name="appeals")

    def _loaded(self, appeals: list[Appeal]) -> None:
        self.appeals = appeals
        self.appeals_changed.emit(appeals)
        held = self.claim
        if held is not None and all(appeal.id != held.appeal.id for appeal in appeals):
            # Left out of the list: decided, past the list's end, or hidden while its decision is under review.
            self._spawn(self._recheck(held.appeal.id), "appeal-check")

    async def _recheck(self, appeal_id: int) -> None:
        try:
            await self.runner.call(self.team.appeal, appeal_id)
        except Conflict as refused:
            if refused.code != ErrorCode.REVIEW_FIRST:
                raise
            self._withdraw(appeal_id, describe_error(refused))

    def take(self, appeal_id: int) -> None:
        self._do(self.team.claim_appeal, appeal_id, then=self._claimed, name="appeal-claim")

    def _claimed(self, claim: AppealClaim) -> None:
        self.claim = claim
        self.claimed.emit(claim)
        self.load()

    def decide(self, outcome: AppealOutcome, note: str) -> str | None:
        """Decide the claimed appeal; a sentence when it cannot be sent as it is."""
        if self.claim is None:
            return "Take an appeal first (C)."
        if not note.strip():
            return "Write a note for the user: it goes with the outcome and into the audit log."
        request = AppealDecisionRequest(outcome=outcome, note=note.strip())
        self._spawn(self._decide(self.claim.appeal.id, request), "appeal-decide")
        return None

    async def _decide(self, appeal_id: int, request: AppealDecisionRequest) -> None:
        try:
            appeal = await self.runner.call(self.team.decide_appeal, appeal_id, request)
        except Conflict as refused:
            if refused.code != ErrorCode.REVIEW_FIRST:
                raise
            self._withdraw(appeal_id, describe_error(refused))
            self.load()  # the list the screen shows still has the appeal (and its decision): the server's has not
            return
        self._decided(appeal)

    def _withdraw(self, appeal_id: int, message: str) -> None:
        if self.claim is not None and self.claim.appeal.id == appeal_id:
            self.claim = None
            self.claim_withdrawn.emit(
                f"Appeal {appeal_id}: {message} It is listed again once your QA review is recorded."
            )

    def _decided(self, appeal: Appeal) -> None:
        self.claim = None
        self.decided.emit(appeal)
        self.load()
