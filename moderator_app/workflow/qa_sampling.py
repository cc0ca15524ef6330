"""Editing the QA sampling configuration (GET/PUT /qa/sampling): the default share of decisions drawn for a blind
second review, and overrides by queue, action and policy reason (the most specific match wins on the server).

Rates are typed as percentages; parse_percent turns the text into a rate or says why it cannot. The server checks
everything again (leads and admins only, known queues, 0..1) and its refusal is shown as it said it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from moderator_app.client.team_api import TeamApi
from moderator_app.core.models import Queue, SamplingConfig, SamplingRule
from moderator_app.core.policy import ACTION_TITLES, POLICIES, Action, PolicyReason
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

MAX_RULES = 100  # the server's limit
SAMPLED_ACTIONS: tuple[Action, ...] = tuple(action for action in Action if action.is_final)  # escalations are not


class RateError(ValueError):
    """str() is a sentence for the person typing."""


def parse_percent(text: str) -> float:
    """ "5", "5 %", "2.5" or "2,5" -> a rate in 0..1. Raises RateError with a sentence otherwise."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    if not cleaned:
        raise RateError("Enter a rate: a percentage from 0 to 100 (for example 5 or 2.5).")
    try:
        percent = float(cleaned)
    except ValueError:
        raise RateError(f"“{text.strip()}” is not a number: enter a percentage from 0 to 100.") from None
    if not math.isfinite(percent) or not 0 <= percent <= 100:
        raise RateError(f"A rate is a share of decisions, from 0 to 100 %; {text.strip()} is outside.")
    return round(percent / 100, 6)


def percent_text(rate: float) -> str:
    return f"{rate * 100:g} %"


@dataclass(frozen=True)
class RuleKey:
    """What an override matches; two overrides with the same key would compete, so the editor keeps one."""

    queue_id: int | None
    action: Action | None
    reason: PolicyReason | None

    @staticmethod
    def of(rule: SamplingRule) -> RuleKey:
        return RuleKey(rule.queue_id, rule.action, rule.reason)

    @property
    def empty(self) -> bool:
        return self.queue_id is None and self.action is None and self.reason is None


def describe_rule(key: RuleKey, queues: dict[int, Queue]) -> tuple[str, str, str]:
    """(queue, action, reason) as the table shows them; "any" where the override does not narrow."""
    if key.queue_id is None:
        queue = "any queue"
    else:
        known = queues.get(key.queue_id)
        queue = known.name if known is not None else f"queue #{key.queue_id}"
    action = ACTION_TITLES[key.action] if key.action is not None else "any action"
    reason = POLICIES[key.reason].title if key.reason is not None else "any reason"
    return queue, action, reason


def put_rule(rules: list[SamplingRule], rule: SamplingRule, replacing: int | None = None) -> list[SamplingRule]:
    """The rules with this one added, or put in place of row `replacing`; raises RateError (a sentence) when the
    rule is empty, would duplicate another row, or would be one too many."""
    key = RuleKey.of(rule)
    if key.empty:
        raise RateError("An override needs a queue, an action or a reason; the default rate covers everything else.")
    same = next((index for index, other in enumerate(rules) if RuleKey.of(other) == key), None)
    if replacing is None and same is not None:
        replacing = same  # the same match again: a new rate for it
    if same is not None and same != replacing:
        raise RateError(f"Row {same + 1} is already an override for exactly this; change that one instead.")
    if replacing is None:
        if len(rules) >= MAX_RULES:
            raise RateError(f"At most {MAX_RULES} overrides; remove one first.")
        return [*rules, rule]
    return [rule if index == replacing else other for index, other in enumerate(rules)]


class SamplingEditor(QObject):
    """Loads the configuration with the queue names, and saves it; server calls run on the runner."""

    loaded = Signal(object, object)  # SamplingConfig, dict[int, Queue]
    saved = Signal(object)  # SamplingConfig as the server stored it
    failed = Signal(str)  # the server's sentence (a 403 for anyone but leads and admins)

    def __init__(self, team: TeamApi, runner: BackgroundRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self.runner = runner

    def load(self) -> None:
        async def go() -> None:
            config = await self.runner.call(self.team.sampling)
            queues = await self.runner.call(self.team.api.queues)
            self.loaded.emit(config, {queue.id: queue for queue in queues})

        self.runner.spawn(go(), on_error=self._failed, name="sampling-load")

    def save(self, config: SamplingConfig) -> None:
        async def go() -> None:
            self.saved.emit(await self.runner.call(self.team.set_sampling, config))

        self.runner.spawn(go(), on_error=self._failed, name="sampling-save")

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(describe_error(error))
