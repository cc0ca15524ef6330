"""The moderator's own wellness settings, on top of the organisation's defaults: blur strength, grayscale, sound,
how long a reveal lasts, when idle covers everything, when to suggest a break. Saved locally (settings only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from moderator_app.media.blur import BlurStrength
from moderator_app.workflow.wellness import SECONDS_RANGES, WellnessSettings
from moderator_app.workflow.wellness_store import WellnessState

MINUTES = {"break_after_revealed_seconds", "break_after_review_seconds"}
LABELS = {
    "reveal_timeout_seconds": "Cover a reveal again after (seconds)",
    "idle_seconds": "Cover everything after no input for (seconds)",
    "break_after_revealed_seconds": "Suggest a break after revealed media for (minutes)",
    "break_after_review_seconds": "Suggest a break after reviewing for (minutes)",
}


class WellnessDialog(QDialog):
    def __init__(self, state: WellnessState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wellness settings")
        self._state = state
        self.strength = QComboBox()
        for strength in BlurStrength:
            self.strength.addItem(strength.name.title(), strength)
        self.grayscale = QCheckBox("Show covered media in grayscale")
        self.mute = QCheckBox("Start videos muted")
        self.spins: dict[str, QDoubleSpinBox] = {}
        form = QFormLayout()
        form.addRow("Blur strength", self.strength)
        form.addRow("", self.grayscale)
        form.addRow("", self.mute)
        for name, (low, high) in SECONDS_RANGES.items():
            spin = QDoubleSpinBox()
            scale = 60.0 if name in MINUTES else 1.0
            spin.setRange(low / scale, high / scale)
            spin.setDecimals(0 if scale == 60.0 or low >= 10 else 1)
            self.spins[name] = spin
            form.addRow(LABELS[name], spin)
        note = QLabel(
            "Your organisation sets the defaults; what you change here is saved on this computer for you only."
        )
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self._restore)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.show_settings(state.settings)

    def show_settings(self, settings: WellnessSettings) -> None:
        self.strength.setCurrentIndex(self.strength.findData(settings.blur_strength))
        self.grayscale.setChecked(settings.grayscale)
        self.mute.setChecked(settings.mute)
        for name, spin in self.spins.items():
            value = getattr(settings, name)
            spin.setValue(value / 60.0 if name in MINUTES else value)

    def values(self) -> dict[str, Any]:
        strength: BlurStrength = self.strength.currentData()
        values: dict[str, Any] = {
            "blur_strength": strength.name.lower(),
            "grayscale": self.grayscale.isChecked(),
            "mute": self.mute.isChecked(),
        }
        for name, spin in self.spins.items():
            values[name] = spin.value() * 60.0 if name in MINUTES else spin.value()
        return values

    def _save(self) -> None:
        self._state.set_user_overrides(self.values())
        self.accept()

    def _restore(self) -> None:
        self.show_settings(self._state.baseline())
