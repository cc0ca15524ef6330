"""Where the wellness settings come from: our defaults, the organisation's (GET /settings/wellness), the moderator's
own overrides (a small JSON file in the user's config folder: settings only, never content).

A bad value in either layer is skipped with a message naming it, and the rest still applies: a typo in a local file
must not switch the protections off or stop the app.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from moderator_app.client.api import ApiClient
from moderator_app.client.errors import NotFound
from moderator_app.workflow.wellness import WellnessSettings

log = logging.getLogger(__name__)

USER_FILE_NAME = "wellness.json"


def clean_layer(layer: object, source: str) -> tuple[dict[str, Any], list[str]]:
    """The settings of one layer that WellnessSettings.merge accepts, and a message for each one it does not."""
    if layer is None:
        return {}, []
    if not isinstance(layer, Mapping):
        return {}, [f"{source}: expected an object of settings, not {type(layer).__name__}; ignored"]
    good: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in layer.items():
        try:
            WellnessSettings.merge({key: value})
        except ValueError as problem:
            problems.append(f"{problem}; ignored")
            continue
        good[str(key)] = value
    return good, problems


def resolve(org: object, user: object) -> tuple[WellnessSettings, list[str]]:
    """Defaults, then the organisation's, then the user's: the settings in force and what was skipped."""
    org_layer, org_problems = clean_layer(org, "organisation defaults")
    user_layer, user_problems = clean_layer(user, "user settings")
    return WellnessSettings.merge(org_layer, user_layer), org_problems + user_problems


def load_user_overrides(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, []
    except OSError as error:
        return {}, [f"Your wellness settings ({path}) could not be read: {error.strerror or error}"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return {}, [f"Your wellness settings ({path}) are not valid JSON (line {error.lineno}); using the defaults"]
    if not isinstance(data, dict):
        return {}, [f"Your wellness settings ({path}) must be a JSON object; using the defaults"]
    return data, []


def save_user_overrides(path: Path, overrides: Mapping[str, Any]) -> None:
    """Write atomically (a crash mid-write leaves the old file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(dict(overrides), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def fetch_org_defaults(api: ApiClient) -> dict[str, Any] | None:
    """Blocking (worker thread). None when the server has no such endpoint (an older server): built-in defaults
    then. Other errors propagate; the caller keeps what it has."""
    try:
        return api.wellness_defaults()
    except NotFound:
        return None


class WellnessState(QObject):
    """The layers and the settings they give; changed(WellnessSettings) whenever the result changes.

    user_path None (tests, a window without a config folder): the user's choices live for the run, nothing saved.
    """

    changed = Signal(object)
    problems_found = Signal(list)

    def __init__(self, user_path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user_path = user_path
        self._org: dict[str, Any] | None = None
        self._user: dict[str, Any] = {}
        self._settings = WellnessSettings()

    @property
    def settings(self) -> WellnessSettings:
        return self._settings

    @property
    def org_defaults(self) -> dict[str, Any] | None:
        return self._org

    @property
    def user_overrides(self) -> dict[str, Any]:
        return dict(self._user)

    def baseline(self) -> WellnessSettings:
        """The settings without the user's overrides (what "reset to defaults" gives)."""
        return resolve(self._org, None)[0]

    def load_local(self) -> None:
        if self.user_path is not None:
            self._user, problems = load_user_overrides(self.user_path)
            self._update(problems)

    def set_org_defaults(self, org: dict[str, Any] | None) -> None:
        self._org = org
        self._update()

    def set_user_overrides(self, overrides: Mapping[str, Any]) -> None:
        """The moderator's choices (only what differs from the baseline is kept), saved to the user file."""
        baseline = self.baseline().as_dict()
        self._user = {k: v for k, v in overrides.items() if baseline.get(k) != v}
        if self.user_path is not None:
            save_user_overrides(self.user_path, self._user)
        self._update()

    def _update(self, extra: list[str] | None = None) -> None:
        settings, problems = resolve(self._org, self._user)
        problems = (extra or []) + problems
        for problem in problems:
            log.warning("wellness settings: %s", problem)
        if problems:
            self.problems_found.emit(problems)
        if settings != self._settings:
            self._settings = settings
            self.changed.emit(settings)
