"""The blind review reads the moderator's review bindings; built on its own it uses resources/keymap.json as is."""

from __future__ import annotations

import json

from moderator_app.ui.keymap import default_keymap_path, normalise_key
from moderator_app.ui.qa.blind_keys import QA_COMMANDS, default_review_keymap, review_keys


def test_the_fallback_keymap_is_the_default_review_bindings() -> None:
    review = json.loads(default_keymap_path().read_text(encoding="utf-8"))["bindings"]["review"]
    keymap = default_review_keymap()
    for command in QA_COMMANDS:
        expected = sorted(normalise_key(key) for key, bound in review.items() if bound == command)
        assert sorted(review_keys(keymap, command)) == expected, command
    assert review_keys(keymap, "decide.keep") == ["K"] and review_keys(keymap, "decide.slot1") == ["1"]
