"""The audit log as a lazy, read-only table model, and its CSV export.

The model holds only the rows loaded so far and the server's cursor; the view asks for more (canFetchMore /
fetchMore) as the user scrolls, one page at a time (an in-flight guard stops a second request while one is on its
way), fetched on the BackgroundRunner so a 100,000-row log never stalls the UI. Changing the filters starts over; a
page that arrives for old filters is dropped (generation counter).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from moderator_app.client.team_api import AuditQuery, TeamApi
from moderator_app.core.models import AuditEntry, AuditPage
from moderator_app.workflow.tasks import BackgroundRunner, describe_error

PAGE_SIZE = 500  # the server's largest page: fewest round trips for the same rows
COLUMNS = ("Time (UTC)", "Actor", "Action", "Item", "Queue", "Details")
CSV_COLUMNS = ("id", "at", "actor", "action", "item_id", "queue_id", "details")

Index = QModelIndex | QPersistentModelIndex


def safe_cell(value: object) -> object:
    """A text cell that a spreadsheet would read as a formula (=, +, -, @) gets a leading apostrophe: user names,
    notes and labels come from people, and an export must not run anything when opened."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def details_text(details: dict[str, Any]) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


class AuditTableModel(QAbstractTableModel):
    loading_changed = Signal(bool)
    page_loaded = Signal(int)  # rows added
    error = Signal(str)

    def __init__(
        self, team: TeamApi, runner: BackgroundRunner, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.team = team
        self._runner = runner
        self.page_size = page_size
        self.query = AuditQuery()
        self._rows: list[AuditEntry] = []
        self._cursor: str | None = None
        self._exhausted = True  # until the first query is set
        self._in_flight = False
        self._generation = 0
        self.pages_fetched = 0

    # --- filters ----------------------------------------------------------------------------------------

    def set_query(self, query: AuditQuery) -> None:
        """Start over with these filters and fetch the first page."""
        self.beginResetModel()
        self.query = query
        self._rows = []
        self._cursor = None
        self._exhausted = False
        self._generation += 1
        self._set_loading(False)
        self.endResetModel()
        self.fetchMore(QModelIndex())

    @property
    def loading(self) -> bool:
        return self._in_flight

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    # --- lazy loading -----------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or self._in_flight or self._runner.closed:
            return
        self._set_loading(True)
        generation, cursor = self._generation, self._cursor
        self._runner.spawn(self._fetch(generation, cursor), on_error=self._failed, name="audit-page")

    async def _fetch(self, generation: int, cursor: str | None) -> None:
        page: AuditPage = await self._runner.call(self.team.audit_page, self.query, cursor, self.page_size)
        if generation != self._generation:
            return  # the filters changed while this page was on its way
        self._set_loading(False)
        self.pages_fetched += 1
        if page.entries:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
            self._rows.extend(page.entries)
            self._cursor = page.next_cursor
            self._exhausted = page.next_cursor is None
            self.endInsertRows()
        else:
            self._exhausted = True
        self.page_loaded.emit(len(page.entries))

    def _failed(self, error: BaseException) -> None:
        self._set_loading(False)
        self.error.emit(describe_error(error))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._in_flight:
            self._in_flight = loading
            self.loading_changed.emit(loading)

    # --- table ------------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # read-only

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return entry.at.strftime("%Y-%m-%d %H:%M:%S")
            if column == 1:
                return entry.actor or "system"
            if column == 2:
                return entry.action
            if column == 3:
                return "" if entry.item_id is None else str(entry.item_id)
            if column == 4:
                return "" if entry.queue_id is None else str(entry.queue_id)
            return details_text(entry.details)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return details_text(entry.details)
        return None


class AuditExport(QObject):
    """Every entry matching the filters into a CSV file, page by page in the background; cancellable."""

    progress = Signal(int)  # entries written so far
    finished = Signal(str)  # the file's path
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, team: TeamApi, runner: BackgroundRunner, query: AuditQuery, path: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.team = team
        self._runner = runner
        self.query = query
        self.path = path
        self.written = 0
        self._cancel = False
        self.running = False

    def start(self) -> None:
        self.running = True
        self._runner.spawn(self._run(), on_error=self._failed, name="audit-export")

    def cancel(self) -> None:
        self._cancel = True

    async def _run(self) -> None:
        handle = await self._runner.call(_open_csv, self.path)
        try:
            cursor: str | None = None
            while not self._cancel:
                page = await self._runner.call(self.team.audit_page, self.query, cursor, PAGE_SIZE)
                await self._runner.call(_write_entries, handle, page.entries)
                self.written += len(page.entries)
                self.progress.emit(self.written)
                cursor = page.next_cursor
                if cursor is None:
                    break
        finally:
            await self._runner.call(handle.close)
            self.running = False
        if self._cancel:
            await self._runner.call(self.path.unlink, True)  # a partial export would read as complete
            self.cancelled.emit()
        else:
            self.finished.emit(str(self.path))

    def _failed(self, error: BaseException) -> None:
        self.running = False
        self.failed.emit(describe_error(error))


def _open_csv(path: Path) -> Any:
    handle = path.open("w", newline="", encoding="utf-8")
    csv.writer(handle).writerow(CSV_COLUMNS)
    return handle


def _write_entries(handle: Any, entries: list[AuditEntry]) -> None:
    writer = csv.writer(handle)
    for e in entries:
        cells = (e.id, e.at.isoformat(), e.actor or "", e.action, e.item_id or "", e.queue_id or "",
                 details_text(e.details))  # fmt: skip
        writer.writerow([safe_cell(cell) for cell in cells])
