"""Agreement between moderators and QA reviewers: percent agreement and Cohen's kappa over decision categories.

A category is the action with its reach (core/qa_compare.py): restricting a post in FR and in DE, FR are two
categories, as are a ban of the channel only and a ban with all its posts. The arithmetic is in pure functions (no
database) so a worked example can check it by hand.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderator_app.core import qa_compare
from moderator_app.core.models import AgreementGroupBy, AgreementReport, AgreementRow, DisputeOutcome
from moderator_app.core.policy import POLICIES, PolicyReason
from moderator_app.server.tables import DecisionRow, QaDisputeRow, QaSampleRow, QueueRow, UserRow


def observed_agreement(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Share of pairs whose two labels are equal; None without pairs."""
    if not pairs:
        return None
    return sum(1 for first, second in pairs if first == second) / len(pairs)


def cohens_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels: (p_o - p_e) / (1 - p_e).

    p_o is the observed agreement; p_e the agreement expected by chance, the sum over categories of the product of
    each rater's share of that category. None when there are no pairs or p_e is 1 (both raters used one and the
    same category throughout, so chance explains everything and kappa is undefined).
    """
    n = len(pairs)
    if n == 0:
        return None
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    p_o = sum(1 for a, b in pairs if a == b) / n
    p_e = sum(first[c] * second[c] for c in first.keys() | second.keys()) / (n * n)
    if p_e >= 1:
        return None
    return (p_o - p_e) / (1 - p_e)


@dataclass(frozen=True, slots=True)
class ReviewedSample:
    group_key: str
    group_label: str
    original_category: str  # the decision's: the action, with its countries or ban scope (core/qa_compare.py)
    review_category: str  # the review's; the same string exactly where the two agree
    agree_verdict: bool | None
    overturned: bool
    other_scope: bool = False  # the same action with other countries or another ban scope


def agreement_row(key: str, label: str, samples: Sequence[ReviewedSample]) -> AgreementRow:
    pairs = [(s.original_category, s.review_category) for s in samples]
    observed = observed_agreement(pairs)
    kappa = cohens_kappa(pairs)
    return AgreementRow(
        key=key,
        label=label,
        reviewed=len(samples),
        agreed=sum(1 for a, b in pairs if a == b),
        percent_agreement=round(100 * observed, 2) if observed is not None else None,
        kappa=round(kappa, 4) if kappa is not None else None,
        disagreements=sum(1 for s in samples if s.agree_verdict is False),
        overturned=sum(1 for s in samples if s.overturned),
        scope_differences=sum(1 for s in samples if s.other_scope),
    )


def build_rows(samples: Iterable[ReviewedSample]) -> tuple[list[AgreementRow], AgreementRow]:
    groups: dict[str, list[ReviewedSample]] = defaultdict(list)
    labels: dict[str, str] = {}
    everything: list[ReviewedSample] = []
    for sample in samples:
        groups[sample.group_key].append(sample)
        labels[sample.group_key] = sample.group_label
        everything.append(sample)
    rows = [agreement_row(key, labels[key], groups[key]) for key in sorted(groups)]
    return rows, agreement_row("all", "All", everything)


def _reviewed(
    session: Session, group_by: AgreementGroupBy, start: datetime | None, end: datetime | None
) -> list[ReviewedSample]:
    query = (
        select(QaSampleRow, DecisionRow, UserRow.username, UserRow.display_name)
        .join(DecisionRow, DecisionRow.id == QaSampleRow.decision_id)
        .join(UserRow, UserRow.id == QaSampleRow.moderator_id)
        .where(QaSampleRow.reviewed_at.is_not(None), QaSampleRow.review_action.is_not(None))
    )
    if start is not None:
        query = query.where(QaSampleRow.reviewed_at >= start)
    if end is not None:
        query = query.where(QaSampleRow.reviewed_at < end)
    rows = session.execute(query).all()
    queues = {q.id: q for q in session.scalars(select(QueueRow))}
    overturned = set(
        session.scalars(select(QaDisputeRow.sample_id).where(QaDisputeRow.outcome == DisputeOutcome.OVERTURN.value))
    )
    found: list[ReviewedSample] = []
    for sample, decision, username, display_name in rows:
        reason = decision.reason
        if group_by is AgreementGroupBy.MODERATOR:
            key, label = username, display_name
        elif group_by is AgreementGroupBy.QUEUE:
            queue = queues.get(sample.queue_id)
            key, label = (queue.key, queue.name) if queue else (str(sample.queue_id), str(sample.queue_id))
        else:
            key = reason or "none"
            label = POLICIES[PolicyReason(reason)].title if reason else "No reason"
        comparison = _compared(sample, decision)
        original, review = comparison.pair()
        found.append(
            ReviewedSample(
                key,
                label,
                original,
                review,
                sample.agree,
                sample.id in overturned,
                other_scope=comparison.same_action and not comparison.same_scope,
            )
        )
    return found


def _compared(sample: QaSampleRow, decision: DecisionRow) -> qa_compare.Comparison:
    review = qa_compare.Side.of(
        str(sample.review_action),  # never None here: the query takes reviewed samples only
        sample.review_reason,
        sample.review_territorial_scope,
        sample.review_ban_scope,
    )
    original = qa_compare.Side.of(decision.action, decision.reason, decision.territorial_scope, decision.ban_scope)
    return qa_compare.compare(review, original)


def report(
    session: Session, group_by: AgreementGroupBy, start: datetime | None, end: datetime | None
) -> AgreementReport:
    rows, overall = build_rows(_reviewed(session, group_by, start, end))
    return AgreementReport(group_by=group_by, start=start, end=end, rows=rows, overall=overall)


CSV_COLUMNS = (
    "group_by",
    "key",
    "label",
    "reviewed",
    "agreed",
    "percent_agreement",
    "kappa",
    "disagreements",
    "overturned",
    "scope_differences",
)


def to_csv(agreement: AgreementReport) -> str:
    """One line per group, then the overall line (key "all"). Cells that start like a formula are quoted with a
    leading apostrophe so a spreadsheet shows them as text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in [*agreement.rows, agreement.overall]:
        writer.writerow(
            [
                agreement.group_by.value,
                _cell(row.key),
                _cell(row.label),
                row.reviewed,
                row.agreed,
                "" if row.percent_agreement is None else row.percent_agreement,
                "" if row.kappa is None else row.kappa,
                row.disagreements,
                row.overturned,
                row.scope_differences,
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
