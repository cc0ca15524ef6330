"""What each of the moderator's keys does on the blind review screen, phase by phase, and how the screen says so.

The keys come from the window's keymap (review mode, the user's overrides included; blind_keys.py); the meanings
are the screen's own actions: decide (with the sampled queue's decision set on 1..9), write a note, reveal and look,
and the QA flow's agree / disagree / next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from moderator_app.core.policy import Action
from moderator_app.ui.commands import CommandRegistry
from moderator_app.ui.keymap import Keymap
from moderator_app.ui.qa.blind_keys import (
    AGREE_KEY,
    DISAGREE_KEY,
    HELD_KEYS,
    NEXT_KEY,
    NOTE_COMMAND,
    SLOT_COMMANDS,
    VIEW_COMMANDS,
    Binding,
    default_review_keymap,
    global_keys,
    review_keys,
)
from moderator_app.workflow.qa import QaPhase

if TYPE_CHECKING:
    from moderator_app.ui.qa.blind_review import BlindReviewScreen

NOT_IN_QA = " (not in a QA review)"  # escalating is no final decision: the key only says so
# The named decision keys: their action in a blind review (None: restrict the post or the channel, by item kind).
# "…": the key asks first, as on the review screen (ban: the scope; restrict: the countries).
NAMED: dict[str, tuple[str, Action | None]] = {
    "decide.keep": ("Keep", Action.NO_VIOLATION),
    "decide.remove_post": ("Remove post", Action.REMOVE_POST),
    "decide.ban_channel": ("Ban channel…", Action.BAN_CHANNEL),
    "decide.geo_restrict": ("Restrict in countries…", None),
    "decide.label_sensitive": ("Label sensitive", Action.LABEL_SENSITIVE),
    "decide.escalate": ("Escalate" + NOT_IN_QA, Action.ESCALATE),
}
SECTION_TITLE = "Blind review (QA)"


class BlindBindings:
    def __init__(self, screen: BlindReviewScreen, commands: CommandRegistry | None) -> None:
        self._screen = screen
        self._commands = commands
        self._fallback: Keymap | None = None

    def keymap(self) -> Keymap:
        """The window's keymap (the user's overrides included), or the defaults for a screen on its own."""
        if self._commands is not None:
            return self._commands.keymap
        if self._fallback is None:
            self._fallback = default_review_keymap()
        return self._fallback

    def _title(self, command_id: str) -> str:
        if self._commands is not None and self._commands.has(command_id):
            return self._commands.title(command_id)
        return VIEW_COMMANDS[command_id]

    # --- bindings ---------------------------------------------------------------------------------------

    def slots(self) -> list[Binding]:
        """1..9: the sampled queue's decision set, the keys that apply to this kind of item."""
        screen, keymap, found = self._screen, self.keymap(), []
        current = screen.session.current
        kind = current.blind.item.kind if current is not None else None
        for command_id, slot in SLOT_COMMANDS.items():
            choice = screen.choices.get(slot)
            if choice is not None and (kind is None or choice.applies_to(kind)):
                run = lambda c=choice: screen.decide(c.action, c.reason)  # noqa: E731
                title = choice.title + (NOT_IN_QA if choice.action is Action.ESCALATE else "")
                found += [Binding(key, title, run) for key in review_keys(keymap, command_id)]
        return found

    def named(self) -> list[Binding]:
        screen, keymap, found = self._screen, self.keymap(), []
        for command_id, (title, action) in NAMED.items():
            # B asks for the ban scope (a queue's ban key on 1..9 decides at once), as the review screen's B does.
            run = lambda a=action: screen.decide(a, ask_scope=a is Action.BAN_CHANNEL)  # noqa: E731
            found += [Binding(key, title, run) for key in review_keys(keymap, command_id)]
        return found

    def note(self) -> list[Binding]:
        keys = review_keys(self.keymap(), NOTE_COMMAND)
        return [Binding(key, "Note with your decision", self._screen.focus_note) for key in keys]

    def view(self) -> list[Binding]:
        screen = self._screen
        mv, text = screen.media_view, screen.post_text
        handlers: dict[str, Callable[[], object]] = {
            "reveal.toggle": screen.toggle_reveal,
            "reveal.text": text.toggle_reveal,
            "media.next": mv.next_media,
            "media.previous": mv.previous_media,
            "reveal.zoom_in": lambda: mv.zoom_in() if mv.revealed else None,
            "reveal.zoom_out": mv.zoom_out,
            "reveal.zoom_reset": mv.reset_zoom,
            "video.play": mv.toggle_play,
            "video.back": lambda: mv.seek(-1),
            "video.forward": lambda: mv.seek(1),
            "video.mute": mv.toggle_mute,
            "text.page_down": lambda: text.page(1),
            "text.page_up": lambda: text.page(-1),
        }
        keymap = self.keymap()
        return [
            Binding(key, self._title(command_id), run)
            for command_id, run in handlers.items()
            for key in review_keys(keymap, command_id)
        ]

    def for_phase(self, phase: QaPhase) -> list[Binding]:
        """The keys of a phase, the more important first (a key bound twice keeps its first meaning)."""
        screen = self._screen
        if phase is QaPhase.DECIDING:
            found = self.slots() + self.named() + self.note() + self.view()
        elif phase is QaPhase.VERDICT:
            found = [
                Binding(AGREE_KEY, "Agree with the original decision", lambda: screen.give_verdict(True)),
                Binding(DISAGREE_KEY, "Disagree (type why, then Return)", screen.start_disagree),
                *self.view(),
            ]
        elif phase is QaPhase.SENDING:
            found = self.view()
        elif phase is QaPhase.IDLE:
            found = [Binding(NEXT_KEY, "Claim the next sampled decision", screen.session.next_sample)]
        else:
            found = []
        taken = global_keys(self.keymap())  # the window's own keys stay the window's
        return [binding for binding in found if binding.key not in taken]

    # --- saying them ------------------------------------------------------------------------------------

    def texts(self, phase: QaPhase, live: dict[str, Binding]) -> tuple[str, str]:
        """(decision legend, hint line) for the phase, from the keys live now."""
        if phase is QaPhase.DECIDING:
            slots = [f"{b.shown} {b.title}" for b in self.slots() if live.get(b.key) is not None]
            named = [f"{b.shown} {b.title}" for b in self.named() if live.get(b.key) is not None]
            named = [text for text in named if not text.endswith(NOT_IN_QA)]
            legend = "Your decision:   " + "   ".join(slots) if slots else ""
            return legend, " · ".join([*named, *self._look(live), *self._help()])
        if phase is QaPhase.VERDICT:
            flow = [f"{AGREE_KEY}: agree", f"{DISAGREE_KEY}: disagree (type why, then Return)"]
            return "", " · ".join([*flow, *self._look(live), *self._help()])
        if phase is QaPhase.IDLE:
            return "", " · ".join([f"{NEXT_KEY}: claim the next sampled decision", *self._help()])
        return "", ""

    def note_placeholder(self, live: dict[str, Binding]) -> str:
        keys = [key for key in review_keys(self.keymap(), NOTE_COMMAND) if key in live]
        how = f"{live[keys[0]].shown} to type, " if keys else ""
        return f"Note with your decision (optional) · {how}Enter or Esc leaves"

    def _look(self, live: dict[str, Binding]) -> list[str]:
        parts = [f"{HELD_KEYS[0][0]} peek"]
        for command_id, word in (("reveal.toggle", "reveal"), ("reveal.text", "text"), (NOTE_COMMAND, "note")):
            keys = [key for key in review_keys(self.keymap(), command_id) if key in live]
            if keys and not (command_id == "reveal.text" and not self._screen.post_text.sensitive):
                parts.append(f"{live[keys[0]].shown} {word}")
        return parts

    def _help(self) -> list[str]:
        commands = self._commands
        key = commands.key("app.help") if commands is not None and commands.has("app.help") else ""
        return [f"{key} all keys"] if key else []

    def help_section(self) -> tuple[str, list[tuple[str, str]]]:
        """Every key of the screen, now and in its other phases, grouped by what it does."""
        grouped: dict[str, list[str]] = {}
        for phase in (QaPhase.DECIDING, QaPhase.VERDICT, QaPhase.IDLE):
            for binding in self.for_phase(phase):
                title = binding.title + (" (when no item is shown)" if phase is QaPhase.IDLE else "")
                keys = grouped.setdefault(title, [])
                if binding.shown not in keys:
                    keys.append(binding.shown)
        return SECTION_TITLE, [(", ".join(keys), title) for title, keys in grouped.items()] + list(HELD_KEYS)
