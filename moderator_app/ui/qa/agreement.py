"""Agreement figures: reviewed, percent agreement and Cohen's kappa per moderator, queue or policy reason, over a
date range; exported as CSV through a save dialog. Agreeing means the same action with the same reach: a review with
other countries or another ban scope counts against agreement, and its own column says how many did.

Keys: G cycles the grouping, Alt+F / Alt+T edit the range, F5 reloads, Ctrl+E exports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from moderator_app.core.models import AgreementGroupBy, AgreementReport, AgreementRow
from moderator_app.ui.lead.tables import (
    BANNER_STYLE,
    HINT_STYLE,
    error_label,
    fill_table,
    local_key,
    read_only_table,
)
from moderator_app.workflow.qa import AgreementFigures

HEADERS = (
    "Group",
    "Reviewed",
    "Agreed",
    "% agreement",
    "Cohen's kappa",
    "Disagreements",
    "Overturned",
    "Same action, other scope",  # other countries or ban scope: not counted as agreed
)
PathAsker = Callable[[str], str | None]


def ask_save_path(suggested: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(None, "Export agreement figures", suggested, "CSV files (*.csv)")
    return path or None


def _cells(row: AgreementRow) -> tuple[object, ...]:
    percent = None if row.percent_agreement is None else f"{row.percent_agreement:.1f} %"
    kappa = None if row.kappa is None else f"{row.kappa:.3f}"
    counts = (row.disagreements, row.overturned, row.scope_differences)
    return (row.label, row.reviewed, row.agreed, percent, kappa, *counts)


class AgreementScreen(QWidget):
    def __init__(
        self, figures: AgreementFigures, ask_path: PathAsker = ask_save_path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.figures = figures
        self.ask_path = ask_path  # tests answer with a path under tmp_path
        title = QLabel("Agreement between moderators and QA")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.group_combo = QComboBox()
        for group in AgreementGroupBy:
            self.group_combo.addItem(f"by {group.value}", group)
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addDays(-30))
        self.to_edit = QDateEdit(today)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        controls = QHBoxLayout()
        fields = (("&Group", self.group_combo), ("&From", self.from_edit), ("&To (inclusive)", self.to_edit))
        for text, widget in fields:
            label = QLabel(text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addStretch(1)
        self.table = read_only_table(HEADERS)
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.error_label = error_label()
        hint = QLabel("G: next grouping · Alt+F / Alt+T: date range · F5: reload · Ctrl+E: export CSV")
        hint.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.error_label)
        layout.addWidget(hint)
        local_key(self, "G", self.next_grouping)
        local_key(self, "F5", self.reload)
        local_key(self, "Ctrl+E", self.export)
        self.group_combo.currentIndexChanged.connect(self.reload)
        self.from_edit.dateChanged.connect(self.reload)
        self.to_edit.dateChanged.connect(self.reload)
        figures.report_changed.connect(self.show_report)
        figures.error.connect(self.show_error)
        self.setFocusProxy(self.table)

    def date_range(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.from_edit.date().toPython(), time.min, UTC)
        end = datetime.combine(self.to_edit.date().addDays(1).toPython(), time.min, UTC)
        return start, end

    def reload(self) -> None:
        self.figures.load(AgreementGroupBy(self.group_combo.currentData()), *self.date_range())

    def next_grouping(self) -> None:
        self.group_combo.setCurrentIndex((self.group_combo.currentIndex() + 1) % self.group_combo.count())

    def show_report(self, report: AgreementReport) -> None:
        self.error_label.hide()
        rows = [(_cells(row), None) for row in report.rows]
        rows.append((("Overall", *_cells(report.overall)[1:]), None))
        fill_table(self.table, rows)

    def export(self) -> None:
        report = self.figures.report
        group = report.group_by.value if report else "moderator"
        answer = self.ask_path(f"agreement-{group}.csv")
        if answer:
            self.figures.export(Path(answer), self._exported)

    def _exported(self, path: Path) -> None:
        self.banner.setText(f"Exported to {path}")
        self.banner.show()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
