"""The audit log viewer: filters, a lazy table that loads pages as you scroll, CSV export with a progress dialog.

Read-only for everyone who may see it. Keys: Alt+A actor, Alt+C action, Alt+I item, Alt+Q queue, Alt+F / Alt+T the
time range (Space ticks the box), Return applies the filters, Ctrl+End / PageDown scroll (more pages load on the
way), Ctrl+Shift+E exports what the filters select.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, QRegularExpression, Qt
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from moderator_app.client.team_api import AuditQuery, TeamApi
from moderator_app.ui.lead.tables import BANNER_STYLE, HINT_STYLE, error_label, local_key
from moderator_app.workflow.audit_model import AuditExport, AuditTableModel
from moderator_app.workflow.tasks import BackgroundRunner


def id_validator(parent: QWidget) -> QRegularExpressionValidator:
    """Digits of a row id: up to 18 of them, so any accepted number fits the 64-bit ids (QIntValidator is 32-bit)."""
    return QRegularExpressionValidator(QRegularExpression(r"[1-9][0-9]{0,17}"), parent)


PathAsker = Callable[[str], str | None]


def ask_save_path(suggested: str) -> str | None:
    path, _filter = QFileDialog.getSaveFileName(None, "Export the audit log", suggested, "CSV files (*.csv)")
    return path or None


class AuditViewer(QWidget):
    def __init__(
        self,
        team: TeamApi,
        runner: BackgroundRunner,
        ask_path: PathAsker = ask_save_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.team = team
        self.runner = runner
        self.ask_path = ask_path
        self.export: AuditExport | None = None
        self.progress: QProgressDialog | None = None
        self.model = AuditTableModel(team, runner, parent=self)

        title = QLabel("Audit log (read-only, newest first)")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.actor_edit = QLineEdit()
        self.actor_edit.setPlaceholderText("user name")
        self.action_edit = QLineEdit()
        self.action_edit.setPlaceholderText("e.g. decision, reassign, qa_verdict")
        self.item_edit = QLineEdit()
        self.item_edit.setValidator(id_validator(self))
        self.queue_edit = QLineEdit()
        self.queue_edit.setValidator(id_validator(self))
        now = QDateTime.currentDateTime()
        self.from_check, self.from_edit = QCheckBox("&From"), QDateTimeEdit(now.addDays(-1))
        self.to_check, self.to_edit = QCheckBox("&To"), QDateTimeEdit(now)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        grid = QGridLayout()
        for column, (text, field) in enumerate(
            (("&Actor", self.actor_edit), ("A&ction", self.action_edit), ("&Item", self.item_edit),
             ("&Queue", self.queue_edit))
        ):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, 0, column * 2)
            grid.addWidget(field, 0, column * 2 + 1)
        grid.addWidget(self.from_check, 1, 0)
        grid.addWidget(self.from_edit, 1, 1)
        grid.addWidget(self.to_check, 1, 2)
        grid.addWidget(self.to_edit, 1, 3)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((150, 110, 110, 70, 60)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(HINT_STYLE)
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.error_label = error_label()
        hint = QLabel(
            "Alt+A/C/I/Q/F/T: filters · Return: apply · Ctrl+End, PageDown: scroll (pages load on the way) · "
            "Ctrl+Shift+E: export CSV"
        )
        hint.setStyleSheet(HINT_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.error_label)
        layout.addWidget(hint)

        local_key(self, "Ctrl+Shift+E", self.start_export)
        self.model.page_loaded.connect(self._counted)
        self.model.loading_changed.connect(self._counted)
        self.model.error.connect(self.show_error)
        self.setFocusProxy(self.table)

    # --- filters ----------------------------------------------------------------------------------------

    def query(self) -> AuditQuery:
        def number(edit: QLineEdit) -> int | None:
            return int(edit.text()) if edit.text().strip() else None

        def moment(check: QCheckBox, edit: QDateTimeEdit) -> datetime | None:
            return edit.dateTime().toPython().astimezone(UTC) if check.isChecked() else None

        return AuditQuery(
            actor=self.actor_edit.text().strip() or None,
            action=self.action_edit.text().strip() or None,
            item_id=number(self.item_edit),
            queue_id=number(self.queue_edit),
            start=moment(self.from_check, self.from_edit),
            end=moment(self.to_check, self.to_edit),
        )

    def apply_filters(self) -> None:
        self.error_label.hide()
        self.model.set_query(self.query())
        self.table.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Return in any filter field applies the filters (line edits and the time fields pass it on).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.apply_filters()
            return
        super().keyPressEvent(event)

    def _counted(self, *_args: object) -> None:
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            # A current row from the start, so the first Ctrl+End or PageDown already moves (Qt's first move
            # without one only selects the first row).
            self.table.setCurrentIndex(self.model.index(0, 0))
        more = "loading…" if self.model.loading else ("end of the log" if self.model.exhausted else "more on scroll")
        self.count_label.setText(f"{self.model.rowCount():,} entries loaded · {more}")

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # --- export -----------------------------------------------------------------------------------------

    def start_export(self) -> None:
        if self.export is not None and self.export.running:
            return
        answer = self.ask_path("audit-log.csv")
        if not answer:
            return
        export = AuditExport(self.team, self.runner, self.model.query, Path(answer), parent=self)
        progress = QProgressDialog("Exporting the audit log…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.canceled.connect(export.cancel)
        export.progress.connect(lambda n: progress.setLabelText(f"Exporting the audit log… {n:,} entries written"))
        export.finished.connect(lambda path: self._export_done(f"Exported {export.written:,} entries to {path}"))
        export.cancelled.connect(lambda: self._export_done("Export cancelled; no file was kept."))
        export.failed.connect(lambda message: self._export_done(None, message))
        self.export, self.progress = export, progress
        progress.show()
        export.start()

    def _export_done(self, text: str | None, error: str | None = None) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None
        if error:
            self.show_error(error)
        elif text:
            self.banner.setText(text)
            self.banner.show()
