"""Reports (who flagged an item, from where, why) and automated signals (classifier scores, hash-list matches).

Hash-list matches are invented data on invented items: list names and entry references are made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random

from moderator_app.core.models import ReportSource, SignalKind
from moderator_app.core.policy import TERRITORIES, PolicyReason
from moderator_app.server.demo.catalogue import CLASSIFIER_LABELS, HASH_LISTS, QUEUE_REASONS, Area, ChannelSpec
from moderator_app.server.demo.texts import user_comment


@dataclass(slots=True)
class ReportPlan:
    source: ReportSource
    reason: PolicyReason
    comment: str
    country: str
    created_at: datetime


@dataclass(slots=True)
class SignalPlan:
    kind: SignalKind
    label: str
    score: float | None
    detail: str


# Reporters are mostly in the EU; a few are not (Ukraine, the UK, the US, Turkey, Norway).
COUNTRY_WEIGHTS: dict[str, int] = {
    "DE": 20,
    "FR": 15,
    "ES": 10,
    "IT": 8,
    "NL": 6,
    "PL": 6,
    "AT": 4,
    "BE": 4,
    "SE": 3,
    "IE": 3,
    "CZ": 2,
    "PT": 2,
    "RO": 2,
    "GR": 2,
    "FI": 1,
    "DK": 1,
    "UA": 4,
    "GB": 3,
    "US": 3,
    "TR": 1,
    "NO": 1,
}
COUNTRY_LANGUAGE: dict[str, str] = {
    "DE": "de",
    "AT": "de",
    "FR": "fr",
    "BE": "fr",
    "ES": "es",
    "IT": "it",
    "PL": "pl",
    "NL": "nl",
    "UA": "uk",
}
AUTHORITY_COUNTRIES = sorted(TERRITORIES & set(COUNTRY_WEIGHTS))

# Who raises the first flag, by area: (user, trusted flagger, authority, automated) weights.
FIRST_SOURCE_WEIGHTS: dict[Area, tuple[int, int, int, int]] = {
    Area.CHILD: (15, 30, 30, 25),
    Area.TERROR: (30, 20, 25, 25),
    Area.BENIGN: (75, 5, 2, 18),
}
DEFAULT_SOURCE_WEIGHTS = (60, 10, 5, 25)
SOURCES = (ReportSource.USER, ReportSource.TRUSTED_FLAGGER, ReportSource.AUTHORITY, ReportSource.AUTOMATED)
PLACEHOLDER_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # replaced once the item's flag time is known


def _country(rng: Random) -> str:
    return rng.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]


def _reason(rng: Random, queue: str) -> PolicyReason:
    reasons = QUEUE_REASONS[queue]
    return reasons[0] if len(reasons) == 1 or rng.random() < 0.75 else rng.choice(reasons[1:])


def make_reports(rng: Random, queue: str, spec: ChannelSpec, number: int) -> list[ReportPlan]:
    count = rng.choices((1, 2, 3, 4), weights=(50, 30, 15, 5))[0]
    weights = FIRST_SOURCE_WEIGHTS.get(spec.area, DEFAULT_SOURCE_WEIGHTS)
    reports: list[ReportPlan] = []
    for position in range(count):
        source = rng.choices(SOURCES, weights=weights)[0] if position == 0 else rng.choices(SOURCES, (80, 8, 2, 10))[0]
        if source is ReportSource.AUTOMATED and any(r.source is ReportSource.AUTOMATED for r in reports):
            source = ReportSource.USER  # one automated flag per item is enough
        country = rng.choice(AUTHORITY_COUNTRIES) if source is ReportSource.AUTHORITY else _country(rng)
        reference = rng.randrange(10_000, 99_999)
        if spec.area is Area.CHILD:
            comment = f"[synthetic child-safety test report #{number}-{position + 1}]"
        elif source is ReportSource.USER:
            comment = user_comment(queue, COUNTRY_LANGUAGE.get(country, "en"), rng, number)
        elif source is ReportSource.TRUSTED_FLAGGER:
            comment = f"Trusted flagger notice TF-{reference} (synthetic)"
        elif source is ReportSource.AUTHORITY:
            comment = f"Removal order {country}-{reference} under national law (synthetic)"
        else:
            comment = f"Automated detection by {CLASSIFIER_LABELS[queue]}: score above the review threshold"
        reports.append(ReportPlan(source, _reason(rng, queue), comment, country, PLACEHOLDER_TIME))
    return reports


def make_signals(
    rng: Random, queue: str, spec: ChannelSpec, reports: list[ReportPlan], has_media: bool
) -> list[SignalPlan]:
    signals: list[SignalPlan] = []
    automated = any(report.source is ReportSource.AUTOMATED for report in reports)
    if automated or rng.random() < 0.75:
        if spec.area is Area.BENIGN:
            score = rng.uniform(0.35, 0.72) if automated else rng.uniform(0.05, 0.5)
        else:
            score = rng.uniform(0.8, 0.995) if automated else rng.uniform(0.55, 0.98)
        version = rng.choice(("2026.10", "2026.11"))
        signals.append(SignalPlan(SignalKind.CLASSIFIER, CLASSIFIER_LABELS[queue], round(score, 3), f"model {version}"))
    if queue in ("scams", "spam") and rng.random() < 0.3:
        other = "spam_classifier" if queue == "scams" else "scam_classifier"
        signals.append(SignalPlan(SignalKind.CLASSIFIER, other, round(rng.uniform(0.2, 0.9), 3), "model 2026.11"))
    hash_chance = {Area.CHILD: 0.6, Area.TERROR: 0.35}.get(spec.area, 0.0)
    if queue in HASH_LISTS and has_media and rng.random() < hash_chance:
        entry = f"SYN-{rng.getrandbits(24):06X}"
        signals.append(SignalPlan(SignalKind.HASH_MATCH, HASH_LISTS[queue], None, f"entry {entry} (synthetic entry)"))
    return signals
