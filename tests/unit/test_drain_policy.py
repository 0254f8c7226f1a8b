"""What kindred still answers while it drains at shutdown: crisis lines and autocompletes, nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import answered_while_stopping
from cogs._crisis import SWITCH_ID
from cogs._ui import CrisisButton


def command(name: str) -> dict[str, Any]:
    return {"type": 2, "data": {"name": name, "type": 1}}


def component(custom_id: str) -> dict[str, Any]:
    return {"type": 3, "data": {"custom_id": custom_id, "component_type": 2}}


def test_crisis_lines_are_still_shown() -> None:
    assert answered_while_stopping(command("crisis"))
    for country in (None, "GB"):
        button = CrisisButton("Crisis lines", country).item
        assert button.custom_id is not None and answered_while_stopping(component(button.custom_id))
    assert answered_while_stopping(component(SWITCH_ID))
    assert answered_while_stopping(component(SWITCH_ID + ":GB"))


def test_autocomplete_is_still_answered() -> None:
    assert answered_while_stopping({"type": 4, "data": {"name": "resources", "type": 1}})


@pytest.mark.parametrize(
    "payload",
    [
        command("checkin"),
        command("share"),
        command("admin"),
        component("kindred:checkin:1"),
        component("kindred:share:approve:" + "0" * 32),
        {"type": 5, "data": {"custom_id": "kindred:checkin-form:1:ab", "components": []}},
        {"type": 5, "data": {"custom_id": "kindred:crisis-lookalike", "components": []}},
    ],
)
def test_everything_else_is_turned_away(payload: dict[str, Any]) -> None:
    assert not answered_while_stopping(payload)
