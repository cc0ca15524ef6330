"""Appeals against decisions (DSA Art. 20): the open appeals with their deadlines, claiming one, deciding it.

The server refuses an appeal to the person who made the decision (403 own_decision_appeal); its message is shown
as it is, through the `error` signal.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from moderator_app.client.team_api import TeamApi
from moderator_app.core.models import Appeal, AppealClaim, AppealDecisionRequest, AppealOutcome
from moderator_app.workflow.qa import _Jobs
from moderator_app.workflow.tasks import BackgroundRunner


class AppealsBoard(_Jobs):
    appeals_changed = Signal(object)  # list[Appeal], earliest deadline first
    claimed = Signal(object)  # AppealClaim
    decided = Signal(object)  # Appeal

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(team, runner, parent)
        self.appeals: list[Appeal] = []
        self.claim: AppealClaim | None = None

    def load(self, status: str = "open") -> None:
        self._do(self.team.appeals, status, then=self._loaded, name="appeals")

    def _loaded(self, appeals: list[Appeal]) -> None:
        self.appeals = appeals
        self.appeals_changed.emit(appeals)

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
        self._do(self.team.decide_appeal, self.claim.appeal.id, request, then=self._decided, name="appeal-decide")
        return None

    def _decided(self, appeal: Appeal) -> None:
        self.claim = None
        self.decided.emit(appeal)
        self.load()
