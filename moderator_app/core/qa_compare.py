"""How a QA reviewer's own decision compares with the moderator's: the action, the policy reason, and the reach of
what was done (a geo-restriction's countries, a ban's scope).

Restricting a post in France is not restricting it in France and Germany, and banning a channel is not banning it
with all its posts: the same action with another reach is a disagreement. One comparison serves the server (the
verdict it suggests, the agreement figures it counts) and the client (the difference said in words).

Reach is compared only between equal actions (a different action disagrees already), and only where both sides
recorded it: QA reviews made before reviews carried countries (migration 0005) have none, and are not held against
the moderator for it. A ban without a scope is a ban of the channel only, as a decision without one means.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from moderator_app.core.models.review import BanScope
from moderator_app.core.policy import Action, PolicyReason

BAN_SCOPE_WORDS: dict[BanScope, str] = {
    BanScope.CHANNEL: "the channel only",
    BanScope.CHANNEL_AND_POSTS: "the channel and all its posts",
}


@dataclass(frozen=True, slots=True)
class Side:
    """One of the two decisions, reduced to what is compared."""

    action: Action
    reason: PolicyReason | None
    countries: tuple[str, ...] | None  # a geo-restriction's, sorted, each once; None: not recorded or not geo
    ban_scope: BanScope | None  # a ban's (None becomes "channel"); None for every other action

    @classmethod
    def of(
        cls,
        action: Action | str,
        reason: PolicyReason | str | None,
        territorial_scope: Iterable[str] | None = None,
        ban_scope: BanScope | str | None = None,
    ) -> Side:
        """From a decision's or a review's fields, as stored (strings) or as models (enums)."""
        action = Action(action)
        countries = None
        if action.is_geo_restriction and territorial_scope:
            countries = tuple(sorted({code.strip().upper() for code in territorial_scope}))
        scope = None
        if action is Action.BAN_CHANNEL:
            scope = BanScope(ban_scope) if ban_scope else BanScope.CHANNEL
        return cls(action, PolicyReason(reason) if reason else None, countries, scope)

    def category(self) -> str:
        """A label for agreement figures: the action, with its countries or ban scope where it has them."""
        if self.countries is not None:
            return f"{self.action.value} in {','.join(self.countries)}"
        if self.ban_scope is not None:
            return f"{self.action.value} ({self.ban_scope.value})"
        return self.action.value


@dataclass(frozen=True, slots=True)
class Comparison:
    mine: Side  # the QA reviewer's
    theirs: Side  # the moderator's

    @property
    def same_action(self) -> bool:
        return self.mine.action is self.theirs.action

    @property
    def same_reason(self) -> bool:
        return self.mine.reason == self.theirs.reason

    @property
    def same_countries(self) -> bool:
        """False only for the same geo-restriction with other countries (both sides recorded theirs)."""
        mine, theirs = self.mine.countries, self.theirs.countries
        return not self.same_action or mine is None or theirs is None or mine == theirs

    @property
    def same_ban_scope(self) -> bool:
        return not self.same_action or self.mine.ban_scope == self.theirs.ban_scope

    @property
    def same_scope(self) -> bool:
        return self.same_countries and self.same_ban_scope

    @property
    def agree(self) -> bool:
        """The verdict to suggest: the same action, the same reason where the action needs one, the same reach."""
        reason_ok = self.same_reason or not self.mine.action.needs_reason
        return self.same_action and reason_ok and self.same_scope

    def pair(self) -> tuple[str, str]:
        """(moderator's, reviewer's) categories for the agreement figures; equal exactly when they agree on the
        action and its reach (a side without recorded countries takes the other's)."""
        if self.same_action and self.same_scope:
            shared = self.theirs if self.theirs.countries is not None else self.mine
            return shared.category(), shared.category()
        return self.theirs.category(), self.mine.category()

    def words(self) -> str:
        """The difference in a sentence, the reviewer's side first: "Same action and reason, different countries:
        DE, FR (yours) vs FR (the moderator's)."."""
        mine, theirs = self.mine, self.theirs
        if not self.same_action:
            parts = [f"different action: {_versus(mine.action.value, theirs.action.value)}"]
            if mine.reason is not None and theirs.reason is not None:
                parts.append(_reason_part(mine, theirs))
            return _sentence(parts)
        if not mine.action.needs_reason:
            parts = ["same action"]
        elif self.same_reason:
            parts = ["same action and reason"]
        else:
            parts = ["same action", _reason_part(mine, theirs)]
        if mine.countries is not None and theirs.countries is not None:
            if self.same_countries:
                parts.append(f"same countries: {_countries(mine.countries)}")
            else:
                words = _versus(_countries(mine.countries), _countries(theirs.countries))
                parts.append(f"different countries: {words}")
        if mine.ban_scope is not None and theirs.ban_scope is not None:
            if self.same_ban_scope:
                parts.append(f"same ban scope: {BAN_SCOPE_WORDS[mine.ban_scope]}")
            else:
                words = _versus(BAN_SCOPE_WORDS[mine.ban_scope], BAN_SCOPE_WORDS[theirs.ban_scope])
                parts.append(f"different ban scope: {words}")
        return _sentence(parts)


def compare(mine: Side, theirs: Side) -> Comparison:
    return Comparison(mine, theirs)


def _reason_part(mine: Side, theirs: Side) -> str:
    if mine.reason == theirs.reason:
        return "same reason"
    return f"different reason: {_versus(_reason(mine.reason), _reason(theirs.reason))}"


def _reason(reason: PolicyReason | None) -> str:
    return reason.value if reason is not None else "none"


def _countries(codes: tuple[str, ...]) -> str:
    return ", ".join(codes)


def _versus(mine: str, theirs: str) -> str:
    return f"{mine} (yours) vs {theirs} (the moderator's)"


def _sentence(parts: list[str]) -> str:
    # A comma after a short part; a semicolon after one that lists something (its own commas would run on).
    text = parts[0]
    for before, part in pairwise(parts):
        text += ("; " if ":" in before else ", ") + part
    return text[:1].upper() + text[1:] + "."
