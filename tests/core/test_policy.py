from __future__ import annotations

import pytest
from pydantic import ValidationError

from moderator_app.core.models import DecisionRequest
from moderator_app.core.policy import POLICIES, Action, EscalationTarget, PolicyReason
from moderator_app.core.roles import Permission, Role, permissions_for


def test_every_policy_reason_maps_to_a_dsa_category() -> None:
    assert set(POLICIES) == set(PolicyReason)
    for info in POLICIES.values():
        assert info.dsa_category.startswith("STATEMENT_CATEGORY_")
        assert info.dsa_keyword is None or info.dsa_keyword.startswith("KEYWORD_")


@pytest.mark.parametrize(
    ("request_kwargs", "problem"),
    [
        ({"action": Action.REMOVE_POST}, "needs a policy reason"),
        ({"action": Action.RESTRICT_POST, "reason": PolicyReason.HATE_SPEECH}, "territorial scope"),
        ({"action": Action.ESCALATE}, "escalation target"),
        (
            {"action": Action.NO_VIOLATION, "escalation_target": EscalationTarget.LEGAL},
            "only escalate",
        ),
    ],
)
def test_decision_request_reports_policy_problems(request_kwargs: dict[str, object], problem: str) -> None:
    problems = DecisionRequest.model_validate(request_kwargs).problems()
    assert any(problem in p for p in problems), problems


def test_complete_decisions_have_no_problems() -> None:
    assert DecisionRequest(action=Action.NO_VIOLATION).problems() == []
    assert DecisionRequest(
        action=Action.RESTRICT_CHANNEL, reason=PolicyReason.HATE_SPEECH, territorial_scope=["DE", "AT", "DE"]
    ).territorial_scope == ["AT", "DE"]


def test_unknown_territory_is_rejected() -> None:
    with pytest.raises(ValidationError, match="unknown territories: US"):
        DecisionRequest(action=Action.RESTRICT_POST, reason=PolicyReason.SPAM, territorial_scope=["US"])


def test_roles_grant_permissions() -> None:
    assert permissions_for([Role.MODERATOR]) == {Permission.REVIEW}
    assert Permission.REVERT_DECISION in permissions_for([Role.MODERATOR, Role.LEAD])
    assert permissions_for([Role.ADMIN]) == set(Permission)
