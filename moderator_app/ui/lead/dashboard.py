"""The lead dashboard: queues against their deadlines, moderators' workload, backlog and throughput charts.

Keys (live while the dashboard has focus): M selects the queue most at risk, Return moves work of the selected queue,
A moves work by any filter, S releases stale claims, P changes the queue's priority and service level, F5 refreshes,
Ctrl+Z undoes the last move while its banner shows, Tab goes from the queues to the moderators.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from moderator_app.core.models import (
    ModeratorStats,
    QueueStats,
    QueueUpdate,
    ReassignResult,
    ReassignUndoResult,
    TeamQueueStats,
)
from moderator_app.ui.lead.charts import BacklogChart, ThroughputChart
from moderator_app.ui.lead.queue_settings import QueueSettingsDialog
from moderator_app.ui.lead.reassign import ReassignDialog
from moderator_app.ui.lead.tables import (
    BANNER_STYLE,
    ERROR_STYLE,
    HINT_STYLE,
    OVERDUE_COLOR,
    RISK_COLOR,
    fill_table,
    local_key,
    read_only_table,
)
from moderator_app.ui.text import age_text, duration_text
from moderator_app.workflow.lead import LeadBoard, Reassigner, most_at_risk

QUEUE_HEADERS = ("Queue", "Priority", "Service level", "Pending", "Claimed", "Oldest (age / level)", "At risk",
                 "Overdue", "In 1 h", "Out 1 h")  # fmt: skip
MODERATOR_HEADERS = ("Moderator", "Roles", "Active claims", "Assigned", "Decisions 1 h", "Per hour today",
                     "Median handling", "Exposure today")  # fmt: skip
HINT = ("M: most at risk · Return: move work of the queue · A: move by filter · S: release stale claims · "
        "P: priority and service level · F5: refresh · Ctrl+Z: undo the last move · Tab: next table")  # fmt: skip


def _seconds(value: float | None) -> str | None:
    return None if value is None else duration_text(_delta(value))


def _delta(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


class LeadDashboard(QWidget):
    reassign_opened = Signal(object)  # the ReassignDialog, once shown (tests drive it with keys)

    def __init__(self, board: LeadBoard, reassigner: Reassigner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self.reassigner = reassigner
        self.dialog: ReassignDialog | None = None
        self.settings_dialog: QueueSettingsDialog | None = None

        title = QLabel("Team dashboard")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.updated_label = QLabel("Loading…")
        self.updated_label.setStyleSheet(HINT_STYLE)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.updated_label)
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.queue_table = read_only_table(QUEUE_HEADERS)
        self.moderator_table = read_only_table(MODERATOR_HEADERS)
        self.backlog_chart = BacklogChart()
        self.throughput_chart = ThroughputChart()
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.backlog_chart)
        charts.addWidget(self.throughput_chart)
        tables = QSplitter(Qt.Orientation.Vertical)
        tables.addWidget(self.queue_table)
        tables.addWidget(self.moderator_table)
        tables.addWidget(charts)
        tables.setSizes([260, 170, 300])
        hint = QLabel(HINT)
        hint.setStyleSheet(HINT_STYLE)
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.error_label)
        layout.addWidget(tables, 1)
        layout.addWidget(hint)

        self._queues: list[QueueStats] = []
        for key, handler in (
            ("M", self.select_most_at_risk),
            ("Return", self.reassign_selected),
            ("Enter", self.reassign_selected),
            ("A", self.reassign_any),
            ("S", self.release_stale),
            ("P", self.edit_queue),
            ("F5", board.refresh),
            ("Ctrl+Z", self.undo),
        ):
            local_key(self, key, handler)

        self._undo_timer = QTimer(self)
        self._undo_timer.setInterval(500)
        self._undo_timer.timeout.connect(self._tick_undo)
        board.stats_changed.connect(self.show_stats)
        board.moderators_changed.connect(self.show_moderators)
        board.polled.connect(self._polled)
        board.error.connect(self.show_error)
        reassigner.undone.connect(self._undone)
        reassigner.error.connect(self._reassign_error)
        self.setFocusProxy(self.queue_table)

    # --- figures ----------------------------------------------------------------------------------------

    def show_stats(self, stats: TeamQueueStats) -> None:
        self._queues = list(stats.queues)
        now = datetime.now(UTC)
        rows = []
        for q in stats.queues:
            oldest = f"{age_text(q.oldest_flagged_at, now)} / {duration_text(_delta(q.sla_seconds))}"
            if q.oldest_flagged_at is None:
                oldest = "—"
            # Only the cells that need attention are coloured: a wall of red would hide which queue is worst.
            color = {6: RISK_COLOR} if q.at_risk else {}
            if q.overdue:
                color |= {0: OVERDUE_COLOR, 7: OVERDUE_COLOR}
            values = (q.name, q.priority, duration_text(_delta(q.sla_seconds)), q.pending, q.claimed, oldest,
                      q.at_risk, q.overdue, q.inflow_last_hour, q.outflow_last_hour)  # fmt: skip
            rows.append((values, color))
        fill_table(self.queue_table, rows)
        self.backlog_chart.show_stats(stats)
        self.throughput_chart.show_stats(stats)

    def show_moderators(self, moderators: list[ModeratorStats]) -> None:
        rows = []
        for m in moderators:
            exposure = _seconds(m.exposure_seconds_today)
            values = (m.display_name or m.username, ", ".join(r.value for r in m.roles), m.active_claims,
                      m.assigned_pending, m.decisions_last_hour, f"{m.decisions_per_hour_today:.1f}",
                      _seconds(m.median_handling_seconds), exposure)  # fmt: skip
            rows.append((values, None))
        fill_table(self.moderator_table, rows)

    def _polled(self, changed: bool) -> None:
        self.error_label.hide()
        when = datetime.now().strftime("%H:%M:%S")
        self.updated_label.setText(f"Updated {when}" + ("" if changed else " (no change)"))

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # --- selection --------------------------------------------------------------------------------------

    def selected_queue(self) -> QueueStats | None:
        row = self.queue_table.currentRow()
        return self._queues[row] if 0 <= row < len(self._queues) else None

    def select_most_at_risk(self) -> None:
        target = most_at_risk(self.board.stats)
        if target is None:
            self.show_error("No queue has open items.")
            return
        row = next(i for i, q in enumerate(self._queues) if q.queue_id == target.queue_id)
        self.queue_table.setFocus()
        self.queue_table.selectRow(row)

    # --- moving work ------------------------------------------------------------------------------------

    def reassign_selected(self) -> None:
        queue = self.selected_queue()
        self._open_reassign(queue.queue_id if queue else None)

    def reassign_any(self) -> None:
        self._open_reassign(None)

    def release_stale(self) -> None:
        queue = self.selected_queue()
        self._open_reassign(queue.queue_id if queue else None, release_stale=True)

    def _open_reassign(self, queue_id: int | None, release_stale: bool = False) -> None:
        if self.board.stats is None:
            self.show_error("The figures are still loading.")
            return
        dialog = ReassignDialog(
            self.reassigner,
            list(self.board.stats.queues),
            list(self.board.moderators),
            queue_id=queue_id,
            release_stale=release_stale,
            parent=self,
        )
        dialog.finished_with.connect(self._reassigned)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.dialog = dialog
        dialog.open()  # window-modal without a nested event loop (qasync keeps running)
        dialog.assign_combo.setFocus() if queue_id is not None and not release_stale else dialog.queue_combo.setFocus()
        self.reassign_opened.emit(dialog)

    def _closed(self, dialog: ReassignDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.queue_table.setFocus()

    def _reassigned(self, result: ReassignResult) -> None:
        self.error_label.hide()
        self._undo_timer.start()
        self._tick_undo()
        self.board.refresh()

    def _tick_undo(self) -> None:
        last = self.reassigner.last
        if last is None or not self.reassigner.can_undo():
            self._undo_timer.stop()
            self.banner.hide()
            return
        left = max(0, int((last.undo_until - datetime.now(UTC)).total_seconds()))
        self.banner.setText(f"Moved {last.count} items. Ctrl+Z to undo ({left} s).")
        self.banner.show()

    def undo(self) -> None:
        if not self.reassigner.undo():
            self.show_error("Nothing to undo: the undo window of the last move is over.")

    def _undone(self, result: ReassignUndoResult) -> None:
        self._undo_timer.stop()
        conflicts = f"; {len(result.conflict_ids)} changed since and left as they are" if result.conflict_ids else ""
        self.banner.setText(f"Undone: {len(result.restored_ids)} items put back{conflicts}.")
        self.banner.show()
        QTimer.singleShot(4000, self.banner.hide)
        self.board.refresh()

    def _reassign_error(self, message: str) -> None:
        if self.dialog is None:
            self.show_error(message)

    # --- queue settings ---------------------------------------------------------------------------------

    def edit_queue(self) -> None:
        queue = self.selected_queue()
        if queue is None:
            return
        dialog = QueueSettingsDialog(queue, parent=self)
        dialog.submitted.connect(lambda update, qid=queue.queue_id: self._save_queue(qid, update))
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        self.settings_dialog = dialog
        dialog.open()

    def _save_queue(self, queue_id: int, update: QueueUpdate) -> None:
        self.reassigner.update_queue(queue_id, update, self.board.refresh)
