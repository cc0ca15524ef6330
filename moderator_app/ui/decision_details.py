"""What a decision key asks before it decides: the countries of a geo-restriction, the target of an escalation, the
scope of a ban (B). One place, so the moderator's review screen and the QA blind review ask exactly the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QWidget

from moderator_app.core.models import BanScope, Item
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.ui.decision_dialogs import BanDialog, EscalateDialog, GeoRestrictDialog


@dataclass(frozen=True)
class Details:
    """Everything a decision carries beyond its action, as the moderator chose it."""

    action: Action
    reason: PolicyReason | None = None
    target: EscalationTarget | None = None
    territories: list[str] | None = None
    ban_scope: BanScope | None = None
    comment: str = ""


@dataclass(frozen=True)
class Intent:
    action: Action
    reason: PolicyReason | None
    ask_scope: bool  # B asks for the ban scope; a queue's ban key decides at once


def needs_details(intent: Intent) -> bool:
    """Whether the key opens a dialog before deciding (else it decides at once with its action and reason)."""
    return intent.action.is_geo_restriction or intent.action is Action.ESCALATE or intent.ask_scope


def details_dialog(
    intent: Intent,
    item: Item,
    label: str,
    reason: PolicyReason | None,
    parent: QWidget,
    then: Callable[[Details], None],
) -> QDialog:
    """The dialog the intent needs, not yet opened; accepting it (Enter) calls `then` with the answers, and
    rejecting it (Esc) calls nothing, so a cancelled dialog decides nothing.

    reason: the reason the dialog proposes (the key's own, else the one the caller would default to)."""
    dialog: QDialog
    if intent.action.is_geo_restriction:
        geo = dialog = GeoRestrictDialog(item.kind, intent.action, reason, parent)
        done = lambda: then(Details(geo.action, geo.chosen_reason, territories=geo.territories))  # noqa: E731
    elif intent.action is Action.ESCALATE:
        escalate = dialog = EscalateDialog(label, parent)
        done = lambda: then(  # noqa: E731
            Details(Action.ESCALATE, intent.reason, target=escalate.target, comment=escalate.comment.text())
        )
    else:
        ban = dialog = BanDialog(f"the channel @{item.channel.handle}", reason, parent)
        done = lambda: then(Details(Action.BAN_CHANNEL, ban.chosen_reason, ban_scope=ban.scope))  # noqa: E731
    dialog.accepted.connect(done)
    return dialog
