"""Plan the demo dataset in memory, deterministically from a seed and a reference time; seed.py writes it.

Every channel draws from its own random stream (seeded by the seed and its handle), so one channel reads the same
at both scales; a second stream, taken in a fixed order, picks the few global features (escalations, a revert).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from moderator_app.core.models import ItemKind, ItemStatus, ReportSource
from moderator_app.core.policy import Action, EscalationTarget, PolicyReason
from moderator_app.server.demo.catalogue import (
    QUEUE_BY_KEY,
    QUEUE_REASONS,
    Area,
    ChannelSpec,
    channels_for,
    queue_for,
)
from moderator_app.server.demo.images import ImageSpec
from moderator_app.server.demo.signals import ReportPlan, SignalPlan, make_reports, make_signals
from moderator_app.server.demo.texts import DECISION_NOTES, filler_text, flagged_text, long_text
from moderator_app.server.demo.video_plan import add_videos
from moderator_app.server.demo.videos import VideoSpec

# Reviewers of the earlier decisions: inactive accounts that can never sign in (see seed.py).
ARCHIVE_REVIEWERS: tuple[tuple[str, str], ...] = (
    ("demo-archive-a", "Earlier shift A (demo)"),
    ("demo-archive-b", "Earlier shift B (demo)"),
)

CITIES: dict[str, tuple[str, ...]] = {
    "en": ("London", "Dublin", "Manchester"),
    "de": ("Berlin", "Hamburg", "Köln", "Wien"),
    "fr": ("Paris", "Lyon", "Bruxelles"),
    "es": ("Madrid", "Valencia", "Sevilla"),
}
OTHER_LANGUAGES = ("en", "de", "fr", "es", "ru", "uk")
# (width, height): weight. Mostly modest sizes: encoding dominates the seeding time, and pixels cost bytes.
PHOTO_SIZES: dict[tuple[int, int], int] = {
    (640, 480): 36,
    (800, 600): 26,
    (1024, 768): 12,
    (1280, 720): 5,
    (1280, 960): 3,
    (1600, 1200): 2,
    (480, 640): 9,
    (720, 960): 4,
    (900, 1200): 2,
    (720, 1280): 1,
}
SCREENSHOT_SIZES: dict[tuple[int, int], int] = {(640, 480): 3, (800, 600): 3, (540, 960): 3, (720, 1280): 1}
REPOST_AREAS = (Area.SCAM, Area.SPAM, Area.TERROR, Area.CHILD, Area.DRUGS)


@dataclass(frozen=True, slots=True)
class Scale:
    flagged_posts: tuple[int, int]  # flagged posts per channel (inclusive range)
    context_posts: tuple[int, int]  # ordinary posts per channel
    decided_share: float  # of post items, already decided earlier
    escalated: int  # open items sitting in the escalations queue


SCALES: dict[str, Scale] = {
    "full": Scale((4, 7), (1, 2), 0.08, 3),
    "small": Scale((3, 4), (1, 2), 0.15, 1),
}


@dataclass(slots=True)
class ChannelPlan:
    spec: ChannelSpec
    subscribers: int
    created_at: datetime
    verified: bool
    strikes: int


@dataclass(slots=True)
class PostPlan:
    channel: int
    text: str
    language: str
    posted_at: datetime
    views: int
    forwarded_from: str | None
    images: list[int] = field(default_factory=list)  # indexes into DemoPlan.images, in position order
    videos: list[int] = field(default_factory=list)  # indexes into DemoPlan.videos, after the images


@dataclass(slots=True)
class DecisionPlan:
    reviewer: int  # index into ARCHIVE_REVIEWERS
    action: Action
    reason: PolicyReason | None
    note: str
    decided_at: datetime
    territorial_scope: list[str] | None = None
    escalation_target: EscalationTarget | None = None
    reverted_at: datetime | None = None
    reverted_by: int | None = None
    revert_note: str | None = None


@dataclass(slots=True)
class ItemPlan:
    kind: ItemKind
    queue: str
    channel: int
    post: int | None
    status: ItemStatus
    flagged_at: datetime
    deadline: datetime
    reports: list[ReportPlan]
    signals: list[SignalPlan]
    decisions: list[DecisionPlan] = field(default_factory=list)
    in_force: int | None = None  # index into decisions


@dataclass(slots=True)
class DemoPlan:
    channels: list[ChannelPlan] = field(default_factory=list)
    posts: list[PostPlan] = field(default_factory=list)
    images: list[ImageSpec] = field(default_factory=list)
    videos: list[VideoSpec] = field(default_factory=list)
    items: list[ItemPlan] = field(default_factory=list)


def effective_sla(queue: str, reports: list[ReportPlan]) -> int:
    """The queue's service level, shortened for notices from authorities (a quarter) and trusted flaggers (half)."""
    sla = QUEUE_BY_KEY[queue].sla_seconds
    sources = {report.source for report in reports}
    if ReportSource.AUTHORITY in sources:
        return sla // 4
    if ReportSource.TRUSTED_FLAGGER in sources:
        return sla // 2
    return sla


def text_fields(rng: Random, spec: ChannelSpec, specs: list[ChannelSpec]) -> dict[str, str]:
    """The invented details a post template is filled with (wallets, links, mentions of channels of the same area)."""
    same_area = [other.handle for other in specs if other.area is spec.area and other is not spec]
    mentions = [*same_area, "support_desk_demo", "admin_help_demo"]
    code = f"{rng.getrandbits(24):06X}"
    link = rng.choice(
        (
            f"https://{spec.handle.replace('_', '-')}.example.invalid/{code.lower()}",
            f"http://promo.example/{code}",
            f"https://demo.test/r/{code.lower()}",
        )
    )
    return {
        "wallet": f"0xDEMO{rng.getrandbits(64):016x}",
        "link": link,
        "mention": "@" + rng.choice(mentions),
        "mention2": "@" + rng.choice(mentions),
        "n": str(rng.randint(2, 9)),
        "city": rng.choice(CITIES.get(spec.language, CITIES["en"])),
        "code": code,
    }


class _Builder:
    def __init__(self, seed: int, scale: Scale, now: datetime, specs: list[ChannelSpec]) -> None:
        self.seed = seed
        self.scale = scale
        self.now = now
        self.specs = specs
        self.plan = DemoPlan()
        self.child_number = 0
        self.long_text_done = False
        self.reposts: dict[Area, list[int]] = {}  # images per area, for reposts of the same picture

    # --- small helpers ------------------------------------------------------------------------------------

    def fields(self, rng: Random, spec: ChannelSpec) -> dict[str, str]:
        return text_fields(rng, spec, self.specs)

    def add_images(self, rng: Random, spec: ChannelSpec, caption: str, count: int) -> list[int]:
        indexes: list[int] = []
        pool = self.reposts.setdefault(spec.area, [])
        for _ in range(count):
            if pool and spec.area in REPOST_AREAS and rng.random() < 0.25:
                indexes.append(rng.choice(pool))  # the same picture posted again (same bytes, same sha256)
                continue
            if spec.area is Area.CHILD:
                style, fmt, sizes = "abstract", "JPEG", PHOTO_SIZES
            elif spec.area in (Area.SCAM, Area.SPAM) and rng.random() < 0.55:
                style, fmt, sizes = "screenshot", "PNG", SCREENSHOT_SIZES
            else:
                style, fmt, sizes = "poster", "JPEG", PHOTO_SIZES
            width, height = rng.choices(list(sizes), weights=list(sizes.values()))[0]
            self.plan.images.append(ImageSpec(style, width, height, fmt, rng.getrandbits(31), spec.handle, caption))
            indexes.append(len(self.plan.images) - 1)
            pool.append(indexes[-1])
        return indexes

    def add_post(self, rng: Random, channel: int, written: tuple[str, str], posted_at: datetime, flagged: bool) -> int:
        spec = self.plan.channels[channel].spec
        text, language = written
        if spec.area is not Area.CHILD and len(text) < 1000 and rng.random() < 0.08:
            # A cross-post in another language (where the texts have one).
            compose = flagged_text if flagged else filler_text
            text, language = compose(spec.area, spec.topic, rng.choice(OTHER_LANGUAGES), rng, self.fields(rng, spec))
        if spec.area is Area.CHILD:
            caption = f"[synthetic child-safety test item #{self.child_number}]"
        else:
            caption = text.split("\n", 1)[0][:70]
        count = 0
        if rng.random() < 0.6:
            count = rng.choices((1, 2, 3), weights=(80, 14, 6))[0]
        if not flagged and count and spec.area is not Area.CHILD and rng.random() < 0.15:
            text = ""  # pictures only, no caption
        forwarded = None
        if rng.random() < 0.12:
            others = [other.handle for other in self.specs if other.area is spec.area and other is not spec]
            forwarded = "@" + rng.choice(others) if others else None
        views = int(self.plan.channels[channel].subscribers * rng.uniform(0.05, 0.6))
        post = PostPlan(channel, text, language, posted_at, views, forwarded)
        post.images = self.add_images(rng, spec, caption or spec.title, count)
        self.plan.posts.append(post)
        return len(self.plan.posts) - 1

    def timing(self, rng: Random, queue: str, reports: list[ReportPlan]) -> tuple[datetime, datetime]:
        """Choose the deadline relative to now first (about 20% overdue, 15% at risk), then the flag time."""
        sla = effective_sla(queue, reports)
        roll = rng.random()
        if roll < 0.2:
            remaining = -rng.uniform(0.05, 1.5) * sla
        elif roll < 0.35:
            remaining = rng.uniform(0.02, 0.15) * sla
        else:
            remaining = rng.uniform(0.15, 0.97) * sla
        deadline = self.now + timedelta(seconds=int(remaining))
        return deadline - timedelta(seconds=sla), deadline

    # --- channels and items -------------------------------------------------------------------------------

    def channel(self, spec: ChannelSpec) -> None:
        rng = Random(f"{self.seed}/{spec.handle}")
        harmful = spec.area is not Area.BENIGN
        subscribers = int(10 ** rng.uniform(2.3, 6.3 if not harmful else 5.5))
        created = self.now - timedelta(days=rng.randint(30, 2500), seconds=rng.randrange(86400))
        verified = rng.random() < (0.03 if harmful else 0.3)
        strikes = rng.choice((0, 0, 1, 1, 2, 3)) if harmful and spec.area is not Area.CHILD else 0
        self.plan.channels.append(ChannelPlan(spec, subscribers, created, verified, strikes))
        index = len(self.plan.channels) - 1
        queue = queue_for(spec)

        flagged = rng.randint(*self.scale.flagged_posts)
        for _ in range(flagged):
            self.child_number += spec.area is Area.CHILD
            fields = self.fields(rng, spec)
            fields["n"] = str(self.child_number) if spec.area is Area.CHILD else fields["n"]
            if spec.area is Area.SPAM and spec.language == "en" and not self.long_text_done:
                written, self.long_text_done = (long_text(fields), "en"), True
            else:
                written = flagged_text(spec.area, spec.topic, spec.language, rng, fields)
            decided = rng.random() < self.scale.decided_share
            reports = make_reports(rng, queue, spec, self.child_number)
            if decided:  # long enough ago that the decision (and a revert hours later) lies in the past
                sla = effective_sla(queue, reports)
                flagged_at = self.now - timedelta(seconds=sla + rng.randint(86400, 10 * 86400))
                deadline = flagged_at + timedelta(seconds=sla)
            else:
                flagged_at, deadline = self.timing(rng, queue, reports)
            posted = flagged_at - timedelta(seconds=rng.randint(300, 6 * 3600))
            post = self.add_post(rng, index, written, posted, flagged=True)
            item = self.item(rng, ItemKind.POST, queue, index, post, flagged_at, deadline, reports)
            if decided:
                self.decide(rng, item, spec)

        for _ in range(rng.randint(*self.scale.context_posts)):
            self.child_number += spec.area is Area.CHILD
            fields = self.fields(rng, spec)
            fields["n"] = str(self.child_number) if spec.area is Area.CHILD else fields["n"]
            posted = self.now - timedelta(seconds=rng.randint(600, 14 * 86400))
            written = filler_text(spec.area, spec.topic, spec.language, rng, fields)
            self.add_post(rng, index, written, posted, flagged=False)

        if rng.random() < (0.92 if harmful else 0.4):  # the whole channel is flagged too
            reports = make_reports(rng, queue, spec, self.child_number)
            flagged_at, deadline = self.timing(rng, queue, reports)
            self.item(rng, ItemKind.CHANNEL, queue, index, None, flagged_at, deadline, reports)

    def item(
        self,
        rng: Random,
        kind: ItemKind,
        queue: str,
        channel: int,
        post: int | None,
        flagged_at: datetime,
        deadline: datetime,
        reports: list[ReportPlan],
    ) -> ItemPlan:
        # The first report raised the flag; later ones came in between the flag and now.
        span = max(0.0, (self.now - flagged_at).total_seconds())
        for position, report in enumerate(reports):
            offset = 0 if position == 0 else rng.uniform(min(30.0, span), span)
            report.created_at = flagged_at + timedelta(seconds=int(offset))
        reports.sort(key=lambda report: report.created_at)
        spec = self.plan.channels[channel].spec
        has_media = post is not None and bool(self.plan.posts[post].images)
        signals = make_signals(rng, queue, spec, reports, has_media or post is None)
        item = ItemPlan(kind, queue, channel, post, ItemStatus.PENDING, flagged_at, deadline, reports, signals)
        self.plan.items.append(item)
        return item

    def decide(self, rng: Random, item: ItemPlan, spec: ChannelSpec) -> None:
        span = (item.deadline - item.flagged_at).total_seconds()
        when = item.flagged_at + timedelta(seconds=int(rng.uniform(0.1, 0.9) * span))
        reason: PolicyReason | None = QUEUE_REASONS[item.queue][0]
        scope: list[str] | None = None
        if spec.area is Area.BENIGN:
            action, reason = Action.NO_VIOLATION, None
        elif spec.area in (Area.HATE, Area.SPAM) and rng.random() < 0.3:
            action = Action.LABEL_SENSITIVE
        elif spec.area is Area.HATE and rng.random() < 0.3:
            action, scope = Action.RESTRICT_POST, sorted(rng.sample(["AT", "DE", "FR"], 2))
        else:
            action = Action.REMOVE_POST
        note = rng.choice(DECISION_NOTES[action.value])
        item.decisions.append(DecisionPlan(rng.randrange(len(ARCHIVE_REVIEWERS)), action, reason, note, when, scope))
        item.status, item.in_force = ItemStatus.DECIDED, 0

    # --- global features ----------------------------------------------------------------------------------

    def finish(self) -> None:
        rng = Random(f"{self.seed}/global")
        decided = [item for item in self.plan.items if item.status is ItemStatus.DECIDED]
        if decided:
            self.add_revert(decided[0])
        harmful_open = [
            item
            for item in self.plan.items
            if item.status is ItemStatus.PENDING
            and item.kind is ItemKind.POST
            and self.plan.channels[item.channel].spec.area in (Area.SCAM, Area.HATE, Area.TERROR, Area.DRUGS)
        ]
        for item in rng.sample(harmful_open, min(self.scale.escalated, len(harmful_open))):
            self.escalate(rng, item)

    def add_revert(self, item: ItemPlan) -> None:
        """An earlier decision that a lead reverted, followed by the decision now in force."""
        first = item.decisions[0]
        first.reverted_at = first.decided_at + timedelta(hours=3)
        first.reverted_by = 1 - first.reviewer
        first.revert_note = "Reverted after review: context shows it was quoted to criticise it."
        action = Action.LABEL_SENSITIVE if first.action is not Action.LABEL_SENSITIVE else Action.NO_VIOLATION
        reason = first.reason if action is Action.LABEL_SENSITIVE else None
        note = "Second review: kept with a sensitivity label." if reason else "Second review: no violation."
        item.decisions.append(
            DecisionPlan(first.reviewer, action, reason, note, first.reverted_at + timedelta(hours=1))
        )
        item.in_force = 1

    def escalate(self, rng: Random, item: ItemPlan) -> None:
        area = self.plan.channels[item.channel].spec.area
        target = {Area.TERROR: EscalationTarget.LAW_ENFORCEMENT_LIAISON, Area.SCAM: EscalationTarget.LEGAL}.get(
            area, EscalationTarget.LEAD
        )
        escalated_at = item.flagged_at + (self.now - item.flagged_at) * rng.uniform(0.3, 0.9)
        escalated_at = escalated_at.replace(microsecond=0)
        note = rng.choice(DECISION_NOTES["escalate"])
        item.decisions.append(
            DecisionPlan(rng.randrange(2), Action.ESCALATE, None, note, escalated_at, escalation_target=target)
        )
        item.queue = "escalations"
        item.deadline = escalated_at + timedelta(seconds=QUEUE_BY_KEY["escalations"].sla_seconds)


def build_plan(seed: int, scale: str, now: datetime) -> DemoPlan:
    specs = channels_for(scale)
    builder = _Builder(seed, SCALES[scale], now, specs)
    for spec in specs:
        builder.channel(spec)
    builder.finish()
    add_videos(builder.plan, seed)
    return builder.plan
