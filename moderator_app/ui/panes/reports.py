"""Reports grouped by who sent them (authorities and trusted flaggers first): count, reasons, countries; each report
with its reason, country, time and comment underneath."""

from __future__ import annotations

from collections import Counter

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from moderator_app.core.models import Report, ReportSource
from moderator_app.ui.panes.common import make_tree, row_item
from moderator_app.ui.text import SHORT_TIME_SAMPLE, label_text, local_time_text, one_line, short_time_text

SOURCE_ORDER = (ReportSource.AUTHORITY, ReportSource.TRUSTED_FLAGGER, ReportSource.USER, ReportSource.AUTOMATED)


def group_reports(reports: list[Report]) -> list[tuple[ReportSource, list[Report]]]:
    groups: dict[ReportSource, list[Report]] = {}
    for report in sorted(reports, key=lambda r: r.created_at):
        groups.setdefault(report.source, []).append(report)
    return [(source, groups[source]) for source in SOURCE_ORDER if source in groups]


def group_summary(source: ReportSource, reports: list[Report]) -> list[str]:
    """The group's row: "Trusted flagger (2)", "Scam fraud ×2", "FR, DE"."""
    reasons = Counter(label_text(r.reason.value) for r in reports)
    countries = Counter(r.country for r in reports if r.country)
    reason_text = ", ".join(f"{name} ×{n}" if n > 1 else name for name, n in reasons.most_common())
    country_text = ", ".join(f"{c} ×{n}" if n > 1 else c for c, n in countries.most_common())
    return [f"{label_text(source.value)} ({len(reports)})", reason_text, country_text, "", ""]


def make_reports_tree() -> QTreeWidget:
    fixed = {0: "Trusted flagger (2)", 2: "FR, DE", 3: SHORT_TIME_SAMPLE}
    return make_tree(["Source", "Reason", "Country", "When", "Comment"], fixed, decorated=True)


def show_reports(tree: QTreeWidget, reports: list[Report]) -> None:
    tree.clear()
    if not reports:
        tree.addTopLevelItem(QTreeWidgetItem(["(none)"]))
        return
    for source, group in group_reports(reports):
        parent = row_item(group_summary(source, group))
        bold = QFont(parent.font(0))
        bold.setBold(True)
        for column in range(3):
            parent.setFont(column, bold)
        for report in group:
            when = short_time_text(report.created_at)
            reason = label_text(report.reason.value)
            cells = ["", reason, report.country, when, one_line(report.comment, 300)]
            parent.addChild(row_item(cells, {3: local_time_text(report.created_at)}))
        tree.addTopLevelItem(parent)
        parent.setExpanded(True)
