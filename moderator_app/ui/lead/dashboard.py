"""The lead dashboard: queues against their deadlines, moderators' workload, backlog and throughput charts.

A headline says in one sentence how late the team is and which queue is most urgent, and why (late work weighted by
the queue's priority, core/urgency.py; the priority column shows each queue's level); each queue row carries a bar of
its open items (overdue, at risk, on time). The figures are polled with ETags in the background (LeadBoard), so the
view never waits on the network; on a 304 only the ages are brought up to date.

Keys (live while the dashboard has focus): M selects the queue most at risk (the one the headline names), Return
moves work of the selected queue, A moves work by any filter, S releases stale claims, P changes the queue's priority
and service level, D edits the queue's decision keys, F5 refreshes, Ctrl+Z undoes the last move (of any kind) while
its banner shows, Tab goes from the queues to the moderators.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from moderator_app.core.deadlines import DeadlineState
from moderator_app.core.models import ModeratorStats, QueueStats, ReassignResult, ReassignUndoResult, TeamQueueStats
from moderator_app.core.urgency import priority_levels
from moderator_app.core.workload import by_workload
from moderator_app.ui.lead import decision_keys
from moderator_app.ui.lead.charts import BacklogChart, ThroughputChart
from moderator_app.ui.lead.queue_settings import QueueSettingsDialog, level_text
from moderator_app.ui.lead.reassign import ReassignDialog
from moderator_app.ui.lead.release_stale import ReleaseStaleDialog
from moderator_app.ui.lead.risk import (
    AT_RISK_TEXT,
    BAR_ROLE,
    HEADLINE_BASE,
    HEADLINE_STYLES,
    OVERDUE_TEXT,
    RiskBarDelegate,
    bar_counts,
    bar_text,
    headline,
    oldest_state,
)
from moderator_app.ui.lead.tables import (
    BANNER_STYLE,
    HINT_STYLE,
    OVERDUE_COLOR,
    RISK_COLOR,
    error_label,
    fill_table,
    hint_label,
    local_key,
    read_only_table,
)
from moderator_app.ui.text import age_text, deadline_text, duration_text
from moderator_app.workflow.lead import LeadBoard, LeadMove, MoveKind, Reassigner, most_at_risk

QUEUE_HEADERS = ("Queue", "Deadlines of the open items", "Priority", "Service level", "Pending", "Claimed",
                 "Oldest waiting", "Earliest deadline", "At risk", "Overdue", "In 1 h", "Out 1 h")  # fmt: skip
BAR_COLUMN, OLDEST_COLUMN, EARLIEST_COLUMN, AT_RISK_COLUMN, OVERDUE_COLUMN = 1, 6, 7, 8, 9
MODERATOR_HEADERS = ("Moderator", "Roles", "Active claims", "Assigned", "Decisions 1 h", "Per hour today",
                     "Median handling", "Exposure today")  # fmt: skip
HINT = ("M: most at risk · Return: move work of the queue · A: move by filter · S: release stale claims · "
        "P: priority and service level · D: decision keys · F5: refresh · Ctrl+Z: undo the last move · "
        "Tab: next table")  # fmt: skip


def _quiet_inactive_selection(table: QTableWidget) -> None:
    """The table without focus shows its current row in grey, so only the focused table looks selected."""
    palette = table.palette()
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, QColor("#dde3ea"))
    palette.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.HighlightedText, QColor("#222222"))
    table.setPalette(palette)


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
        self.stale_dialog: ReleaseStaleDialog | None = None
        self.settings_dialog: QueueSettingsDialog | None = None

        title = QLabel("Team dashboard")
        title.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.updated_label = QLabel("Loading…")
        self.updated_label.setStyleSheet(HINT_STYLE)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.updated_label)
        self.headline = QLabel("Loading the queues…")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline_state: DeadlineState | None = None
        self.banner = QLabel()
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.error_label = error_label()

        self.queue_table = read_only_table(QUEUE_HEADERS, stretch_column=BAR_COLUMN)
        self.queue_table.setItemDelegateForColumn(BAR_COLUMN, RiskBarDelegate(self.queue_table))
        self.moderator_table = read_only_table(MODERATOR_HEADERS)
        for table in (self.queue_table, self.moderator_table):
            _quiet_inactive_selection(table)
        self.backlog_chart = BacklogChart()
        self.throughput_chart = ThroughputChart()
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.backlog_chart)
        charts.addWidget(self.throughput_chart)
        tables = QSplitter(Qt.Orientation.Vertical)
        tables.addWidget(self.queue_table)
        tables.addWidget(self.moderator_table)
        tables.addWidget(charts)
        tables.setSizes([262, 175, 230])  # every queue row visible above the charts at the default size
        hint = hint_label(HINT)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.headline)
        layout.addWidget(self.banner)
        layout.addWidget(self.error_label)
        layout.addWidget(tables, 1)
        layout.addWidget(hint)

        self._queues: list[QueueStats] = []
        self.keys = decision_keys.DecisionKeysOpener(reassigner, self, self._reassigned, self.queue_table.setFocus)
        for key, handler in (
            ("M", self.select_most_at_risk),
            ("Return", self.reassign_selected),
            ("Enter", self.reassign_selected),
            ("A", self.reassign_any),
            ("S", self.release_stale),
            ("P", self.edit_queue),
            ("D", self.edit_decision_keys),
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
        self._stats: TeamQueueStats | None = None
        self.setFocusProxy(self.queue_table)

    # --- figures ----------------------------------------------------------------------------------------

    def show_stats(self, stats: TeamQueueStats) -> None:
        self._stats = stats
        self._queues = list(stats.queues)
        now = datetime.now(UTC)
        largest = max((q.pending + q.claimed for q in stats.queues), default=0)
        levels = priority_levels(q.priority for q in stats.queues)  # the headline's words for "how much it matters"
        rows = []
        for q in stats.queues:
            # Only the cells that need attention are coloured: a wall of red would hide which queue is worst.
            color = {AT_RISK_COLUMN: RISK_COLOR} if q.at_risk else {}
            if q.overdue:
                color |= {OVERDUE_COLUMN: OVERDUE_COLOR}
            priority = f"{q.priority} · {levels[q.priority].value}"
            values = (q.name, bar_text(q), priority, level_text(q.sla_seconds), q.pending, q.claimed, "", "",
                      q.at_risk, q.overdue, q.inflow_last_hour, q.outflow_last_hour)  # fmt: skip
            rows.append((values, color))
        fill_table(self.queue_table, rows)
        for row, q in enumerate(stats.queues):
            self.queue_table.item(row, BAR_COLUMN).setData(BAR_ROLE, (*bar_counts(q), largest))
            self._time_cells(row, q, now)
        text, state = headline(stats, now)
        self.headline.setText(text)
        self.headline.setStyleSheet(HEADLINE_STYLES[state] + HEADLINE_BASE)
        self.headline_state = state
        self.backlog_chart.show_stats(stats)
        self.throughput_chart.show_stats(stats)

    def show_moderators(self, moderators: list[ModeratorStats]) -> None:
        rows = []
        for m in by_workload(moderators):
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
        if not changed and self._stats is not None:
            self._refresh_ages(self._stats)

    def _refresh_ages(self, stats: TeamQueueStats) -> None:
        """The server's figures did not change (304), but time went on: the ages and "due in" texts did."""
        now = datetime.now(UTC)
        for row, q in enumerate(stats.queues[: self.queue_table.rowCount()]):
            self._time_cells(row, q, now)

    def _time_cells(self, row: int, q: QueueStats, now: datetime) -> None:
        """The oldest item's age, coloured by its own deadline (tooltip: how late), and the earliest deadline."""
        oldest = self.queue_table.item(row, OLDEST_COLUMN)
        oldest.setText(age_text(q.oldest_flagged_at, now))
        due, state = oldest_state(q, now)
        oldest.setToolTip(f"The oldest open item is {due}." if state is not None else "")
        _mark(
            oldest,
            OVERDUE_TEXT
            if state is DeadlineState.OVERDUE
            else AT_RISK_TEXT
            if state is DeadlineState.AT_RISK
            else None,
        )
        earliest = self.queue_table.item(row, EARLIEST_COLUMN)
        text, late = deadline_text(q.next_deadline, now) if q.next_deadline else ("—", False)
        earliest.setText(text)
        _mark(earliest, OVERDUE_TEXT if late else None)

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
        if self.board.stats is None:
            self.show_error("The figures are still loading.")
            return
        queue = self.selected_queue()
        dialog = ReleaseStaleDialog(
            self.reassigner,
            list(self.board.stats.queues),
            list(self.board.moderators),
            queue_id=queue.queue_id if queue else None,
            parent=self,
        )
        dialog.finished_with.connect(self._reassigned)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.stale_dialog = dialog
        dialog.open()
        dialog.older_spin.setFocus()

    def _open_reassign(self, queue_id: int | None) -> None:
        if self.board.stats is None:
            self.show_error("The figures are still loading.")
            return
        dialog = ReassignDialog(
            self.reassigner,
            list(self.board.stats.queues),
            list(self.board.moderators),
            queue_id=queue_id,
            parent=self,
        )
        dialog.finished_with.connect(self._reassigned)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.dialog = dialog
        dialog.open()  # window-modal without a nested event loop (qasync keeps running)
        dialog.assign_combo.setFocus() if queue_id is not None else dialog.queue_combo.setFocus()
        self.reassign_opened.emit(dialog)

    def _closed(self, dialog: ReassignDialog | ReleaseStaleDialog | QueueSettingsDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if self.stale_dialog is dialog:
            self.stale_dialog = None
        if self.settings_dialog is dialog:
            self.settings_dialog = None
        dialog.deleteLater()
        self.queue_table.setFocus()

    def _reassigned(self, _result: ReassignResult | LeadMove) -> None:
        self.error_label.hide()
        self._undo_timer.start()
        self._tick_undo()
        self.board.refresh()

    def _tick_undo(self) -> None:
        move = self.reassigner.last_move
        if move is None or not self.reassigner.can_undo():
            self._undo_timer.stop()
            self.banner.hide()
            return
        left = max(0, int((move.undo_until - datetime.now(UTC)).total_seconds()))
        self.banner.setText(f"{_done_text(move)} Ctrl+Z to undo ({left} s).")
        self.banner.show()

    def undo(self) -> None:
        if not self.reassigner.undo():
            self.show_error("Nothing to undo: the undo window of the last move is over.")

    def _undone(self, result: ReassignUndoResult) -> None:
        self._undo_timer.stop()
        conflicts = f"; {len(result.conflict_ids)} changed since and left as they are" if result.conflict_ids else ""
        move = self.reassigner.undone_move
        if move is not None and move.kind is MoveKind.DECISION_KEYS:
            self.banner.setText(decision_keys.undone_text(move))
        elif move is not None and move.kind is MoveKind.QUEUE_SETTINGS and move.before is not None:
            before = move.before
            self.banner.setText(
                f"Undone: {before.name} is back to priority {before.priority}, service level "
                f"{level_text(before.sla_seconds)}; {len(result.restored_ids)} items got their deadlines back"
                f"{conflicts}."
            )
        else:
            self.banner.setText(f"Undone: {len(result.restored_ids)} items put back{conflicts}.")
        self.banner.show()
        QTimer.singleShot(4000, self.banner.hide)
        self.board.refresh()

    def _reassign_error(self, message: str) -> None:
        self.keys.forget()  # a failed load of the decision keys opens no editor later
        if self.dialog is None and self.stale_dialog is None and self.settings_dialog is None and not self.keys.dialog:
            self.show_error(message)

    # --- queue settings ---------------------------------------------------------------------------------

    def edit_queue(self) -> None:
        queue = self.selected_queue()
        if queue is None:
            self.show_error("Select a queue first (arrows, or M for the one most at risk).")
            return
        dialog = QueueSettingsDialog(self.reassigner, queue, parent=self)
        dialog.finished_with.connect(self._reassigned)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.settings_dialog = dialog
        dialog.open()
        dialog.priority_spin.setFocus()

    def edit_decision_keys(self) -> None:
        queue = self.selected_queue()
        if queue is None:
            self.show_error("Select a queue first (arrows, or M for the one most at risk).")
            return
        self.keys.open_for(queue.queue_id)


def _mark(cell: QTableWidgetItem, color: QColor | None) -> None:
    cell.setData(Qt.ItemDataRole.ForegroundRole, color)  # None: the palette's text colour again
    font = cell.font()
    font.setBold(color is not None)
    cell.setFont(font)


def _done_text(move: LeadMove) -> str:
    if move.kind is MoveKind.DECISION_KEYS:
        return decision_keys.done_text(move)
    if move.kind is MoveKind.RELEASE_STALE:
        return f"Released {move.count} stale claims."
    if move.kind is MoveKind.QUEUE_SETTINGS and move.queue is not None:
        queue = move.queue
        return (
            f"{queue.name}: priority {queue.priority}, service level {level_text(queue.sla_seconds)}"
            f" ({move.count} items got new deadlines)."
        )
    return f"Moved {move.count} items."
