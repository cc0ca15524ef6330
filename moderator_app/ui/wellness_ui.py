"""What the moderator sees of the wellness features: revealed-time figures in the status bar, a break reminder that
does not block, and the panic blank (one key turns the whole window into an opaque dark surface at once; another
key brings it back).

While the window is blanked every key is swallowed except the one that restores it: a decision key pressed blind
must never decide anything.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from moderator_app.ui.text import duration_text

PANIC_BACKGROUND = QColor(18, 18, 18)
PANIC_HINT = QColor(72, 72, 72)
BREAK_STYLE = "#breakBanner { background: #e8f5e9; border: 1px solid #2e7d32; border-radius: 4px; }"


def exposure_text(item_seconds: float, session_seconds: float) -> str:
    from datetime import timedelta

    return (
        f"Revealed: {duration_text(timedelta(seconds=item_seconds))} this item · "
        f"{duration_text(timedelta(seconds=session_seconds))} this session"
    )


class ExposureLabel(QLabel):
    """The revealed-media figures (ExposureTracker.exposure_changed) in the status bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setToolTip("Seconds of unblurred media on screen, for this item and this session")
        self.show_exposure(0.0, 0.0)

    def show_exposure(self, item_seconds: float, session_seconds: float) -> None:
        self.setText(exposure_text(item_seconds, session_seconds))

    def show_today(self, seconds_today: float) -> None:
        """The server's figure for today (what the lead sees), reported after each flush."""
        self.setToolTip(
            "Seconds of unblurred media on screen, for this item and this session.\n"
            f"Today, as your lead sees it: {round(seconds_today)} s"
        )


class BreakBanner(QFrame):
    """A calm, non-blocking reminder above the review screen; work goes on underneath it."""

    dismissed = Signal()

    def __init__(self, dismiss_key: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breakBanner")
        self.setStyleSheet(BREAK_STYLE)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #1b5e20; font-weight: 600;")
        self.button = QToolButton()
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.dismiss)
        self.set_dismiss_key(dismiss_key)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.button)
        self.hide()

    def set_dismiss_key(self, key: str) -> None:
        self.button.setText(f"Dismiss ({key})" if key else "Dismiss")

    def remind(self, message: str) -> None:
        self.message.setText(message)
        self.show()

    def dismiss(self) -> None:
        if self.isVisible():
            self.hide()
            self.dismissed.emit()


class PanicOverlay(QWidget):
    """An opaque surface over the whole window (menus, banners, status bar included)."""

    restored = Signal()
    blanked = Signal()

    def __init__(self, window: QWidget, restore_key: str) -> None:
        super().__init__(window)
        self._window = window
        self._restore = QKeySequence(restore_key)
        self._hint = f"Blanked · press {self._restore.toString(QKeySequence.SequenceFormat.NativeText)} to return"
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        window.installEventFilter(self)
        self.hide()

    @property
    def active(self) -> bool:
        return self.isVisible()

    def set_restore_key(self, key: str) -> None:
        self._restore = QKeySequence(key)
        self._hint = f"Blanked · press {self._restore.toString(QKeySequence.SequenceFormat.NativeText)} to return"

    def blank(self) -> None:
        if self.active:
            return
        self.setGeometry(self._window.rect())
        self.show()
        self.raise_()
        self.repaint()  # now, not at the next event-loop turn: that is the point of a panic key
        self.setFocus()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.blanked.emit()

    def restore(self) -> None:
        if not self.active:
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.hide()
        self.restored.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), PANIC_BACKGROUND)
        painter.setPen(PANIC_HINT)
        painter.drawText(
            self.rect().adjusted(0, 0, 0, -24), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, self._hint
        )
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Resize and self.active:
            QTimer.singleShot(0, lambda: self.setGeometry(self._window.rect()))
            return False
        if not self.active or kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        assert isinstance(event, QKeyEvent)
        if kind == QEvent.Type.KeyPress and self._matches_restore(event):
            QTimer.singleShot(0, self.restore)  # after this event is done with: the filter removes itself
            return True
        # Swallow everything else: accepting the override keeps every shortcut from firing blind.
        event.accept()
        return True

    def _matches_restore(self, event: QKeyEvent) -> bool:
        if self._restore.isEmpty():
            return False
        combo = self._restore[0]
        return event.key() == combo.key() and event.modifiers() == combo.keyboardModifiers()
