"""Errors that carry a kind, translated message for the person who triggered them."""

from __future__ import annotations


class Refusal(Exception):
    """Input or state we decline, explained to the user by a string key; nothing was changed."""

    def __init__(self, key: str, **values: object) -> None:
        """Name the i18n key and its placeholder values."""
        super().__init__(key)
        self.key = key
        self.values = values
