"""Plan the demo's current shift: who worked the last ~12 hours, and each item they claimed and decided.

Without it the demo has no recent decisions, and the lead dashboard's pace columns and "Decided" bars stay empty.
The shift decides items of its own (flagged before they were decided, in the channels of the demo), so the open
queues the demo was built with stay as they are. Deterministic: one random stream per person, from the seed, and
times relative to `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from moderator_app.core.models import BanScope, ItemKind
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.server.demo.catalogue import QUEUE_REASONS, Area, ChannelSpec, queue_for
from moderator_app.server.demo.plan import effective_sla, text_fields
from moderator_app.server.demo.signals import ReportPlan, SignalPlan, make_reports, make_signals
from moderator_app.server.demo.texts import DECISION_NOTES, flagged_text

SHIFT_HOURS = 12


@dataclass(frozen=True, slots=True)
class ShiftMember:
    username: str
    display_name: str
    start_hours_ago: float
    end_hours_ago: float  # 0: still at work
    per_hour: float  # decisions per hour while at work, on average
    sign_in: bool  # a demo sign-in account (users.py); the others are colleagues who cannot sign in


# Two colleagues still at work, one whose shift ended, and the demo moderator, who stepped away a quarter of an hour
# ago (the person trying the demo carries on from there).
SHIFT: tuple[ShiftMember, ...] = (
    ShiftMember("demo-shift-amira", "Amira Haddad (demo shift)", 12.0, 4.0, 6.5, sign_in=False),
    ShiftMember("demo-shift-jonas", "Jonas Weber (demo shift)", 9.0, 0.0, 5.5, sign_in=False),
    ShiftMember("demo-shift-lucia", "Lucía Romero (demo shift)", 5.5, 0.0, 7.0, sign_in=False),
    ShiftMember("demo-moderator", "Demo Moderator", 4.0, 0.25, 4.5, sign_in=True),
)
# Where the shift's work comes from, and how long one item of each queue takes to decide (seconds, from the claim;
# always within the default five-minute lease).
QUEUE_WEIGHTS: dict[str, int] = {"spam": 22, "scams": 20, "hate": 18, "terrorism": 16, "drugs": 14, "child_safety": 10}
HANDLING: dict[str, tuple[int, int]] = {
    "spam": (15, 75),
    "scams": (30, 150),
    "drugs": (30, 150),
    "hate": (45, 240),
    "terrorism": (45, 240),
    "child_safety": (20, 120),
}
CHANNEL_SHARE = 0.12  # of the shift's items, whole channels rather than posts
LATE_SHARE = 0.1  # decided after their deadline
BREAK = timedelta(minutes=30)  # once in a shift of four hours or more
CHILD_NUMBERS_FROM = 1000  # the stand-in numbers of the shift's child-safety items, apart from the demo's own


@dataclass(slots=True)
class ShiftDecisionPlan:
    member: int  # index into SHIFT
    kind: ItemKind
    queue: str
    channel: str  # the channel's handle
    text: str | None  # the flagged post (None for a channel item)
    language: str | None
    posted_at: datetime | None
    view_share: float  # views of the post, as a share of the channel's subscribers
    flagged_at: datetime
    deadline: datetime
    reports: list[ReportPlan]
    signals: list[SignalPlan]
    claimed_at: datetime
    decided_at: datetime
    action: Action
    reason: PolicyReason | None
    note: str
    territorial_scope: list[str] | None = None
    ban_scope: BanScope | None = None


def plan_shift(seed: int, now: datetime, specs: list[ChannelSpec]) -> list[ShiftDecisionPlan]:
    """Every decision of the shift, oldest first; `specs`: the demo's channels."""
    by_queue: dict[str, list[ChannelSpec]] = {}
    for spec in specs:
        if queue_for(spec) in QUEUE_WEIGHTS:
            by_queue.setdefault(queue_for(spec), []).append(spec)
    queues = [queue for queue in QUEUE_WEIGHTS if queue in by_queue]
    weights = [QUEUE_WEIGHTS[queue] for queue in queues]
    planned: list[ShiftDecisionPlan] = []
    child_number = CHILD_NUMBERS_FROM
    for index, member in enumerate(SHIFT):
        if not queues:
            break
        rng = Random(f"{seed}/shift/{member.username}")
        # One item after the other, with gaps that average out to the person's pace, and a break half-way
        # through a long shift.
        start = now - timedelta(hours=member.start_hours_ago, seconds=-rng.randint(0, 600))
        end = now - timedelta(hours=member.end_hours_ago, seconds=rng.randint(60, 300))
        long_shift = end - start >= timedelta(hours=4)
        pause = (start + (end - start) * rng.uniform(0.4, 0.6)).replace(microsecond=0) if long_shift else None
        free = start  # when the previous decision was sent
        while True:
            queue = rng.choices(queues, weights=weights)[0]
            # Ordinary channels flagged by mistake come up less often than the ones the queue is for.
            candidates = by_queue[queue]
            spec = rng.choices(candidates, weights=[0.4 if c.area is Area.BENIGN else 1.0 for c in candidates])[0]
            claimed = free + timedelta(seconds=int(rng.expovariate(member.per_hour / 3600)))
            if pause is not None and claimed >= pause:
                claimed, pause = max(claimed, pause + BREAK), None
            decided = claimed + timedelta(seconds=rng.randint(*HANDLING[queue]))
            if decided > end:
                break
            child_number += spec.area is Area.CHILD
            planned.append(_decision(rng, index, queue, spec, specs, child_number, claimed, decided))
            free = decided
    planned.sort(key=lambda d: (d.decided_at, d.member))
    return planned


def _decision(
    rng: Random,
    member: int,
    queue: str,
    spec: ChannelSpec,
    specs: list[ChannelSpec],
    child_number: int,
    claimed_at: datetime,
    decided_at: datetime,
) -> ShiftDecisionPlan:
    kind = ItemKind.CHANNEL if rng.random() < CHANNEL_SHARE else ItemKind.POST
    reports = make_reports(rng, queue, spec, child_number)
    signals = make_signals(rng, queue, spec, reports, has_media=kind is ItemKind.CHANNEL)
    sla = effective_sla(queue, reports)
    share = rng.uniform(1.02, 1.5) if rng.random() < LATE_SHARE else rng.uniform(0.1, 0.95)
    waited = max(timedelta(seconds=int(sla * share)), decided_at - claimed_at + timedelta(seconds=60))
    flagged_at = decided_at - waited
    # The first report raised the flag; the others came in before the item was claimed.
    span = int((claimed_at - flagged_at).total_seconds())
    for position, report in enumerate(reports):
        report.created_at = flagged_at + timedelta(seconds=0 if position == 0 else rng.randint(0, span))
    reports.sort(key=lambda report: report.created_at)
    text = language = posted_at = None
    if kind is ItemKind.POST:
        fields = text_fields(rng, spec, specs)
        if spec.area is Area.CHILD:
            fields["n"] = str(child_number)
        text, language = flagged_text(spec.area, spec.topic, spec.language, rng, fields)
        posted_at = flagged_at - timedelta(seconds=rng.randint(300, 6 * 3600))
    action, scope, ban = _action(rng, kind, spec)
    return ShiftDecisionPlan(
        member=member,
        kind=kind,
        queue=queue,
        channel=spec.handle,
        text=text,
        language=language,
        posted_at=posted_at,
        view_share=rng.uniform(0.05, 0.6),
        flagged_at=flagged_at,
        deadline=flagged_at + timedelta(seconds=sla),
        reports=reports,
        signals=signals,
        claimed_at=claimed_at,
        decided_at=decided_at,
        action=action,
        reason=QUEUE_REASONS[queue][0] if action.needs_reason else None,
        note=rng.choice(DECISION_NOTES[action.value]),
        territorial_scope=scope,
        ban_scope=ban,
    )


def _action(rng: Random, kind: ItemKind, spec: ChannelSpec) -> tuple[Action, list[str] | None, BanScope | None]:
    """A plausible outcome: ordinary channels were flagged by mistake, and some flags on the others were too."""
    if spec.area is Area.BENIGN or rng.random() < 0.1:
        return Action.NO_VIOLATION, None, None
    scope = sorted(rng.sample(["AT", "DE", "FR"], 2))
    if kind is ItemKind.CHANNEL:
        if spec.area is Area.HATE and rng.random() < 0.4:
            return Action.RESTRICT_CHANNEL, scope, None
        severe = spec.area in (Area.CHILD, Area.TERROR)
        return Action.BAN_CHANNEL, None, BanScope.CHANNEL_AND_POSTS if severe else BanScope.CHANNEL
    if spec.area in (Area.HATE, Area.SPAM) and rng.random() < 0.25:
        return Action.LABEL_SENSITIVE, None, None
    if spec.area is Area.HATE and rng.random() < 0.25:
        return Action.RESTRICT_POST, scope, None
    return Action.REMOVE_POST, None, None
