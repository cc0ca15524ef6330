"""Signals: classifier scores with their labels (highest first, with a bar), hash-list matches with the list's name
and entry."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidget

from moderator_app.core.models import Signal, SignalKind
from moderator_app.ui.panes.common import fill_tree, make_tree
from moderator_app.ui.text import one_line

BAR_CELLS = 10


def score_bar(score: float) -> str:
    filled = max(0, min(BAR_CELLS, round(score * BAR_CELLS)))
    return "█" * filled + "░" * (BAR_CELLS - filled)


def signal_row(signal: Signal) -> list[str]:
    if signal.kind is SignalKind.HASH_MATCH:
        return ["Hash-list match", f"list: {signal.label}", "match", one_line(signal.detail, 120)]
    score = signal.score if signal.score is not None else 0.0
    return ["Classifier", signal.label, f"{score:.2f} {score_bar(score)}", one_line(signal.detail, 120)]


def ordered(signals: list[Signal]) -> list[Signal]:
    """Hash matches first (a known list is the strongest signal), then classifier scores, highest first."""
    return sorted(signals, key=lambda s: (s.kind is not SignalKind.HASH_MATCH, -(s.score or 0.0)))


def make_signals_tree() -> QTreeWidget:
    return make_tree(["Signal", "Label", "Score", "Detail"], {0: "Hash-list match", 2: f"0.93 {score_bar(0.93)}"})


def show_signals(tree: QTreeWidget, signals: list[Signal]) -> None:
    fill_tree(tree, [signal_row(s) for s in ordered(signals)])
