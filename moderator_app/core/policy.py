"""Enforcement actions and policy reasons, each reason mapped to its EU DSA statement-of-reasons category."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    NO_VIOLATION = "no_violation"
    REMOVE_POST = "remove_post"
    RESTRICT_POST = "restrict_post"
    LABEL_SENSITIVE = "label_sensitive"
    BAN_CHANNEL = "ban_channel"
    RESTRICT_CHANNEL = "restrict_channel"
    ESCALATE = "escalate"

    @property
    def needs_reason(self) -> bool:
        """Every enforcement needs a policy reason; keeping content or escalating does not."""
        return self not in (Action.NO_VIOLATION, Action.ESCALATE)

    @property
    def is_geo_restriction(self) -> bool:
        return self in (Action.RESTRICT_POST, Action.RESTRICT_CHANNEL)

    @property
    def is_final(self) -> bool:
        """An escalation hands the item on; every other action settles it."""
        return self is not Action.ESCALATE


ACTION_TITLES: dict[Action, str] = {
    Action.NO_VIOLATION: "Keep (no violation)",
    Action.REMOVE_POST: "Remove post",
    Action.RESTRICT_POST: "Restrict post (geo)",
    Action.LABEL_SENSITIVE: "Label sensitive",
    Action.BAN_CHANNEL: "Ban channel",
    Action.RESTRICT_CHANNEL: "Restrict channel (geo)",
    Action.ESCALATE: "Escalate",
}


class PolicyReason(StrEnum):
    CHILD_SAFETY = "child_safety"
    TERRORISM = "terrorism"
    VIOLENT_EXTREMISM = "violent_extremism"
    ILLEGAL_DRUGS = "illegal_drugs"
    SCAM_FRAUD = "scam_fraud"
    HATE_SPEECH = "hate_speech"
    INCITEMENT = "incitement"
    SPAM = "spam"
    ADULT_CONTENT = "adult_content"
    SELF_HARM = "self_harm"
    PRIVACY = "privacy"
    INTELLECTUAL_PROPERTY = "intellectual_property"
    OTHER = "other"


class DecisionGround(StrEnum):
    ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"
    INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    title: str
    dsa_category: str
    dsa_keyword: str | None
    ground: DecisionGround


POLICIES: dict[PolicyReason, PolicyInfo] = {
    PolicyReason.CHILD_SAFETY: PolicyInfo(
        "Child safety",
        "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
        "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
        DecisionGround.ILLEGAL,
    ),
    PolicyReason.TERRORISM: PolicyInfo(
        "Terrorism",
        "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        "KEYWORD_TERRORIST_CONTENT",
        DecisionGround.ILLEGAL,
    ),
    PolicyReason.VIOLENT_EXTREMISM: PolicyInfo(
        "Violent extremism", "STATEMENT_CATEGORY_VIOLENCE", None, DecisionGround.INCOMPATIBLE
    ),
    PolicyReason.ILLEGAL_DRUGS: PolicyInfo(
        "Illegal drugs",
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS",
        "KEYWORD_PROHIBITED_PRODUCTS",
        DecisionGround.ILLEGAL,
    ),
    PolicyReason.SCAM_FRAUD: PolicyInfo(
        "Scam or fraud", "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "KEYWORD_PHISHING", DecisionGround.ILLEGAL
    ),
    PolicyReason.HATE_SPEECH: PolicyInfo(
        "Hate speech",
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
        "KEYWORD_HATE_SPEECH",
        DecisionGround.ILLEGAL,
    ),
    PolicyReason.INCITEMENT: PolicyInfo(
        "Incitement to violence", "STATEMENT_CATEGORY_VIOLENCE", None, DecisionGround.ILLEGAL
    ),
    PolicyReason.SPAM: PolicyInfo("Spam", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC", None, DecisionGround.INCOMPATIBLE),
    PolicyReason.ADULT_CONTENT: PolicyInfo(
        "Adult content", "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", None, DecisionGround.INCOMPATIBLE
    ),
    PolicyReason.SELF_HARM: PolicyInfo("Self-harm", "STATEMENT_CATEGORY_SELF_HARM", None, DecisionGround.INCOMPATIBLE),
    PolicyReason.PRIVACY: PolicyInfo(
        "Privacy violation",
        "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        None,
        DecisionGround.ILLEGAL,
    ),
    PolicyReason.INTELLECTUAL_PROPERTY: PolicyInfo(
        "Intellectual property",
        "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        None,
        DecisionGround.ILLEGAL,
    ),
    PolicyReason.OTHER: PolicyInfo(
        "Other terms-of-service violation",
        "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        None,
        DecisionGround.INCOMPATIBLE,
    ),
}


class EscalationTarget(StrEnum):
    LEAD = "lead"
    LEGAL = "legal"
    CHILD_SAFETY_SPECIALIST = "child_safety_specialist"
    LAW_ENFORCEMENT_LIAISON = "law_enforcement_liaison"


# Countries a territorial scope may name (the DSA transparency database's list).
TERRITORIES: frozenset[str] = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split()
)


def decision_title(action: Action, reason: PolicyReason | None) -> str:
    """A decision key's title: "Remove post · Spam", or the action alone where it takes no reason."""
    title = ACTION_TITLES[action]
    return f"{title} · {POLICIES[reason].title}" if reason is not None and action.needs_reason else title
