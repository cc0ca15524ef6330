"""A small window that says what the app is doing while it starts (the first demo run seeds a database)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class StartupSplash(QWidget):
    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.SplashScreen)
        self.setWindowTitle("Moderator review")
        self.label = QLabel(message)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("font-size: 15px; padding: 24px;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.setMinimumSize(420, 120)

    def set_message(self, message: str) -> None:
        self.label.setText(message)
