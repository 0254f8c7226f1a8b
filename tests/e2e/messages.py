"""Reading what the bot sent: text of a message payload, its components, its DMs."""

from __future__ import annotations

from typing import Any

EPHEMERAL = 64
Message = dict[str, Any]


def text_of(message: Message) -> str:
    """Content plus every embed's visible text."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [
            embed.get("title") or "",
            embed.get("description") or "",
            (embed.get("footer") or {}).get("text") or "",
        ]
        parts += [f"{f.get('name')} {f.get('value')}" for f in embed.get("fields") or []]
    return "\n".join(parts)


def custom_ids(message: Message) -> list[str]:
    """Every component custom_id in a message, depth first."""
    found: list[str] = []

    def walk(components: list[Message]) -> None:
        for component in components:
            if "custom_id" in component:
                found.append(component["custom_id"])
            walk(component.get("components") or [])
            if isinstance(component.get("component"), dict):
                walk([component["component"]])

    walk(message.get("components") or [])
    return found


def custom_id_with(message: Message, part: str) -> str:
    """The first component custom_id in a message that contains ``part`` (e.g. ``":approve:"``)."""
    return next(c for c in custom_ids(message) if part in c)
