"""Key bindings as data: mode -> key -> command id, defaults in resources/keymap.json, the user's changes on top.

The user's file has the same shape as the defaults; a key mapped to null unbinds it. Loading never fails: a bad
entry (unknown mode or command, a key Qt cannot parse, a key that would clash with another command) is skipped with a
message saying what and where, and the default for that key stays. Keys are stored in Qt's portable text form
("Ctrl+K", "Shift+N", "?"), so "ctrl+k" and "Ctrl+K" are the same key.

Modes say where a binding is live: "global" everywhere in the main window, "review" on the review screen, "queues" on
the queue list. A key may mean different things in review and queues, but a global key means one thing everywhere.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from moderator_app.paths import resource_path

log = logging.getLogger(__name__)

GLOBAL = "global"
MODES: tuple[str, ...] = (GLOBAL, "review", "queues")
KEYMAP_VERSION = 1
USER_FILE_NAME = "keymap.json"
_PORTABLE = QKeySequence.SequenceFormat.PortableText
_TYPING_SAFE_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
_TYPING_SAFE_MODIFIERS |= Qt.KeyboardModifier.MetaModifier

Layer = dict[str, dict[str, str | None]]  # mode -> key -> command id (None: unbind)


class KeymapError(ValueError):
    """A key or a file that cannot be used; str() is a sentence for the user."""


def default_keymap_path() -> Path:
    return resource_path("keymap.json")


def normalise_key(text: object) -> str:
    """The portable form of one key with its modifiers. Raises KeymapError for anything else."""
    if not isinstance(text, str) or not text.strip():
        raise KeymapError(f"{text!r} is not a key")
    sequence = QKeySequence(text.strip(), _PORTABLE)
    if sequence.count() != 1:
        raise KeymapError(f"{text!r} is {sequence.count()} keys in a row; bind a single key (modifiers allowed)")
    if sequence[0].key() == Qt.Key.Key_unknown:
        raise KeymapError(f"{text!r} is not a key Qt knows")
    return sequence.toString(_PORTABLE)


def key_from_event(key: int, modifiers: Qt.KeyboardModifier) -> str | None:
    """The portable form of a pressed key, or None for a lone modifier (the settings page records keys with this)."""
    lone_modifiers = (Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr)
    if key in lone_modifiers or key in (0, Qt.Key.Key_unknown):
        return None
    # Shift is part of what a punctuation key types ("?" is Shift+/ on many layouts); keep it only for letters and
    # named keys, where "Shift+N" is a deliberate chord.
    wanted = modifiers & (_TYPING_SAFE_MODIFIERS | Qt.KeyboardModifier.ShiftModifier)
    is_symbol = 0x21 <= key <= 0x7E and not (0x41 <= key <= 0x5A) and not (0x30 <= key <= 0x39)
    if is_symbol:
        wanted &= ~Qt.KeyboardModifier.ShiftModifier
    text = QKeySequence(int(wanted.value) | int(key)).toString(_PORTABLE)
    return text or None


def typing_safe(key: str) -> bool:
    """Whether a binding may stay live while a text field has focus: Ctrl/Alt/Meta chords and F-keys only.

    Anything else (letters, digits, punctuation, Space, Esc, Return, arrows) is what typing and editing use.
    """
    combo = QKeySequence(key, _PORTABLE)[0]
    if combo.keyboardModifiers() & _TYPING_SAFE_MODIFIERS:
        return True
    return Qt.Key.Key_F1 <= combo.key() <= Qt.Key.Key_F35


def display_key(key: str) -> str:
    """How the key reads on this platform (⌘ on a Mac), for menus, buttons and the help overlay."""
    return QKeySequence(key, _PORTABLE).toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class Keymap:
    """Immutable bindings; the with_/without_ methods return changed copies (the settings page edits a copy)."""

    bindings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def command_for(self, mode: str, key: str) -> str | None:
        return self.bindings.get(mode, {}).get(key)

    def keys_for(self, command: str) -> list[tuple[str, str]]:
        """(mode, key) pairs bound to the command, in mode order."""
        return [(mode, key) for mode in MODES for key, bound in self.bindings.get(mode, {}).items() if bound == command]

    def all_bindings(self) -> list[tuple[str, str, str]]:
        return [(mode, key, command) for mode in MODES for key, command in self.bindings.get(mode, {}).items()]

    def conflict(self, mode: str, key: str, command: str) -> str | None:
        """Why binding key to command in mode would clash with another command (None when it would not).

        Within a mode a new binding simply replaces the old one, so the clash that matters is with global keys:
        a global key is live in every mode at once.
        """
        others = [m for m in MODES if m != GLOBAL] if mode == GLOBAL else [GLOBAL]
        clashes = [(m, c) for m in others if (c := self.command_for(m, key)) is not None and c != command]
        if not clashes:
            return None
        where = ", ".join(f"{other} ({other_mode})" for other_mode, other in clashes)
        return f"{key} is already bound to {where}"

    def with_binding(self, mode: str, key: str, command: str | None) -> Keymap:
        copy = {m: dict(keys) for m, keys in self.bindings.items()}
        keys = copy.setdefault(mode, {})
        if command is None:
            keys.pop(key, None)
        else:
            keys[key] = command
        return Keymap(copy)

    def without_command(self, command: str, mode: str | None = None) -> Keymap:
        copy = {
            m: {k: c for k, c in keys.items() if c != command or (mode is not None and m != mode)}
            for m, keys in self.bindings.items()
        }
        return Keymap(copy)

    def overrides_against(self, defaults: Keymap) -> Layer:
        """What the user file must hold to turn the defaults into this keymap."""
        layer: Layer = {}
        for mode in MODES:
            mine, theirs = self.bindings.get(mode, {}), defaults.bindings.get(mode, {})
            changed: dict[str, str | None] = {key: cmd for key, cmd in mine.items() if theirs.get(key) != cmd}
            changed.update({key: None for key in theirs if key not in mine})
            if changed:
                layer[mode] = dict(sorted(changed.items()))
        return layer


@dataclass
class KeymapLoad:
    keymap: Keymap
    defaults: Keymap
    problems: list[str]
    user_path: Path | None


def parse_layer(data: object, source: str) -> tuple[Layer, list[str]]:
    """Read the "bindings" of a keymap file into mode -> normalised key -> command (or None), with the problems."""
    problems: list[str] = []
    layer: Layer = {}
    if not isinstance(data, dict):
        return layer, [f'{source}: expected a JSON object with a "bindings" object']
    bindings = data.get("bindings", {})
    if not isinstance(bindings, dict):
        return layer, [f'{source}: "bindings" must be an object of modes']
    for mode, keys in bindings.items():
        if mode not in MODES:
            problems.append(f"{source}: unknown mode {mode!r} (modes: {', '.join(MODES)}); its bindings are ignored")
            continue
        if not isinstance(keys, dict):
            problems.append(f"{source}: mode {mode!r} must map keys to command ids")
            continue
        seen: dict[str, str] = {}
        for raw_key, command in keys.items():
            try:
                key = normalise_key(raw_key)
            except KeymapError as problem:
                problems.append(f"{source}: {mode}: {problem}; ignored")
                continue
            if command is not None and not isinstance(command, str):
                problems.append(f"{source}: {mode}: {key} must name a command id or be null, not {command!r}")
                continue
            if key in seen:
                problems.append(
                    f"{source}: {mode}: {raw_key!r} and {seen[key]!r} are the same key ({key}); the first one is kept"
                )
                continue
            seen[key] = str(raw_key)
            layer.setdefault(mode, {})[key] = command
    return layer, problems


def apply_layer(base: Keymap, layer: Layer, known: Iterable[str], source: str) -> tuple[Keymap, list[str]]:
    """Put a layer's bindings on top of base, skipping (with a message) unknown commands and clashing keys."""
    known_ids = set(known)
    problems: list[str] = []
    keymap = base
    for mode in MODES:
        for key, command in layer.get(mode, {}).items():
            if command is None:
                keymap = keymap.with_binding(mode, key, None)
                continue
            if command not in known_ids:
                problems.append(f"{source}: {mode}: {key} is bound to an unknown command {command!r}; ignored")
                continue
            clash = keymap.conflict(mode, key, command)
            if clash is not None:
                problems.append(f"{source}: {mode}: {key} -> {command} conflicts: {clash}; ignored")
                continue
            keymap = keymap.with_binding(mode, key, command)
    return keymap, problems


def read_json(path: Path, source: str) -> tuple[object | None, list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, []
    except OSError as error:
        return None, [f"{source} could not be read ({error.strerror or error}); using the defaults"]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as error:
        return None, [f"{source} is not valid JSON (line {error.lineno}, column {error.colno}); using the defaults"]


def load_keymap(known: Iterable[str], defaults_path: Path | None = None, user_path: Path | None = None) -> KeymapLoad:
    """The defaults with the user's file on top. Problems are messages for the UI; loading itself never fails."""
    known_ids = sorted(set(known))
    defaults_path = defaults_path or default_keymap_path()
    problems: list[str] = []
    data, read_problems = read_json(defaults_path, f"The default key bindings ({defaults_path})")
    problems += read_problems
    if data is None and not read_problems:
        problems.append(f"The default key bindings are missing ({defaults_path}); only menus and the palette work")
    layer, layer_problems = parse_layer(data, "default key bindings") if data is not None else ({}, [])
    defaults, apply_problems = apply_layer(Keymap(), layer, known_ids, "default key bindings")
    problems += layer_problems + apply_problems
    keymap = defaults
    if user_path is not None:
        source = f"Your key bindings ({user_path})"
        user_data, user_read_problems = read_json(user_path, source)
        problems += user_read_problems
        if user_data is not None:
            user_layer, user_problems = parse_layer(user_data, source)
            keymap, user_apply_problems = apply_layer(defaults, user_layer, known_ids, source)
            problems += user_problems + user_apply_problems
    for problem in problems:
        log.warning("key bindings: %s", problem)
    return KeymapLoad(keymap=keymap, defaults=defaults, problems=problems, user_path=user_path)


def save_overrides(path: Path, defaults: Keymap, keymap: Keymap) -> None:
    """Write the user's changes (only the differences from the defaults) atomically."""
    body: dict[str, Any] = {"version": KEYMAP_VERSION, "bindings": keymap.overrides_against(defaults)}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def validate(keymap: Keymap, known: Iterable[str]) -> list[str]:
    """Problems of a complete keymap: unknown commands, and keys live twice at once (a mode plus global)."""
    known_ids = set(known)
    problems = [
        f"{mode}: {key} is bound to an unknown command {command!r}"
        for mode, key, command in keymap.all_bindings()
        if command not in known_ids
    ]
    for mode in MODES:
        if mode == GLOBAL:
            continue
        for key, command in keymap.bindings.get(mode, {}).items():
            other = keymap.command_for(GLOBAL, key)
            if other is not None and other != command:
                problems.append(f"{key} means {command} in {mode} and {other} everywhere")
    return problems
