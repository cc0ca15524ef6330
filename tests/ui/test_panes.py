"""The context panes' content: reports grouped by source, signals ordered, history rows, the channel's record."""

from __future__ import annotations

from datetime import timedelta

from moderator_app.core.models import HistoryEntry, ItemKind, Report, ReportSource, Signal, SignalKind
from moderator_app.core.policy import Action, PolicyReason
from moderator_app.ui.panes.history import channel_decision_summary, history_row
from moderator_app.ui.panes.reports import group_reports, group_summary
from moderator_app.ui.panes.signals import ordered, signal_row
from tests.ui import samples


def report(report_id: int, source: ReportSource, reason: PolicyReason, country: str) -> Report:
    return Report(id=report_id, source=source, reason=reason, comment="", country=country,
                  created_at=samples.NOW - timedelta(minutes=report_id))  # fmt: skip


def test_reports_are_grouped_by_source_authorities_first() -> None:
    reports = [
        report(1, ReportSource.USER, PolicyReason.SPAM, "DE"),
        report(2, ReportSource.AUTHORITY, PolicyReason.TERRORISM, "FR"),
        report(3, ReportSource.USER, PolicyReason.SPAM, "DE"),
        report(4, ReportSource.USER, PolicyReason.SCAM_FRAUD, "AT"),
    ]
    groups = group_reports(reports)
    assert [source for source, _ in groups] == [ReportSource.AUTHORITY, ReportSource.USER]
    summary = group_summary(ReportSource.USER, groups[1][1])
    assert summary[:3] == ["User (3)", "Spam ×2, Scam fraud", "DE ×2, AT"]


def test_hash_matches_come_first_then_scores_highest_first() -> None:
    signals = [
        Signal(kind=SignalKind.CLASSIFIER, label="spam", score=0.4, detail=""),
        Signal(kind=SignalKind.CLASSIFIER, label="scam", score=0.9, detail=""),
        Signal(kind=SignalKind.HASH_MATCH, label="known-bad", score=None, detail="entry 7"),
    ]
    assert [s.label for s in ordered(signals)] == ["known-bad", "scam", "spam"]
    assert signal_row(signals[2])[:3] == ["Hash-list match", "list: known-bad", "match"]
    assert signal_row(signals[1])[2] == "0.90 █████████░"


def test_history_rows_say_where_and_the_channel_record_counts_decisions() -> None:
    item = samples.item(101, ItemKind.POST)
    note = HistoryEntry(at=samples.NOW, kind="note", actor="bob", action=None, reason=None, note="seen before",
                        item_id=101)  # fmt: skip
    assert history_row(note, item)[1:] == ["this item", "Note", "bob", "seen before"]
    assert history_row(item.history[0], item)[1:3] == ["item #55", "Decision: Remove post (Scam fraud)"]
    assert channel_decision_summary(item) == "Earlier decisions on this channel: 1 (1 remove post)"
    empty = item.model_copy(update={"history": [note]})
    assert channel_decision_summary(empty) == "No earlier decisions on this channel"
    ban = HistoryEntry(at=samples.NOW, kind="decision", actor="ann", action=Action.BAN_CHANNEL, reason=None,
                       note="", item_id=None)  # fmt: skip
    both = item.model_copy(update={"history": [*item.history, ban]})
    assert channel_decision_summary(both) == "Earlier decisions on this channel: 2 (1 remove post, 1 ban channel)"
