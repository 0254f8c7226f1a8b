"""Discord messages and modals as terminal text: markdown, mentions, embeds, numbered controls."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fakediscord.models import JSON

INDENT = "  "
_TEXT_TYPES = ("text/", "application/json", "application/yaml", "application/x-yaml")
_TEXT_SUFFIXES = (".txt", ".json", ".yaml", ".yml", ".csv", ".md")
MAX_FILE_LINES = 40
_ESCAPED = re.compile(r"\\([\\*_~`|>#\-\[\]()<:.!+={}])")
_PLACEHOLDER = "\ue000"
_RANDOM_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Style:
    """ANSI styling, or none (scripts, pipes, NO_COLOR)."""

    color: bool = False

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color and text else text

    def bold(self, text: str) -> str:
        """Bold."""
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        """Dim (subtext, footers)."""
        return self._wrap("2", text)

    def italic(self, text: str) -> str:
        """Italic."""
        return self._wrap("3", text)

    def accent(self, text: str) -> str:
        """Who said it: kindred, channels."""
        return self._wrap("36", text)

    def warn(self, text: str) -> str:
        """Something went wrong or was refused."""
        return self._wrap("33", text)


@dataclass(frozen=True)
class Names:
    """Names for the ids Discord markup carries (``<#id>``, ``<@id>``, ``<@&id>``)."""

    users: dict[int, str] = field(default_factory=dict)
    channels: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Control:
    """A button or select menu shown with a number you can press or choose."""

    number: int
    message_id: int
    kind: str  # "button", "link", "select"
    custom_id: str
    label: str
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for string selects
    min_values: int = 1
    max_values: int = 1
    url: str = ""
    disabled: bool = False


@dataclass(frozen=True)
class ModalField:
    """One input of a modal, in the order shown."""

    key: str  # custom_id
    label: str
    kind: str  # "text", "select", "checkbox", "entity"
    required: bool
    options: tuple[tuple[str, str], ...] = ()
    min_values: int = 1
    max_values: int = 1
    paragraph: bool = False
    max_length: int = 4000
    placeholder: str = ""
    default: str | tuple[str, ...] | None = None  # what Discord submits if left as shown

    @property
    def name(self) -> str:
        """What to call the field in answers: its custom id, unless that is a random one."""
        return self.label if _RANDOM_ID.fullmatch(self.key) else self.key


def _when(unix: str, style: str) -> str:
    moment = datetime.fromtimestamp(int(unix), UTC)
    if style in ("d", "D"):
        return f"{moment:%A} {moment.day} {moment:%B %Y}"
    if style in ("t", "T"):
        return f"{moment:%H:%M} UTC"
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M} UTC"


def markdown(text: str, names: Names, style: Style) -> list[str]:
    """Discord markdown as terminal lines: mentions named, links spelled out, emphasis styled."""
    text = re.sub(r"<#(\d+)>", lambda m: "#" + names.channels.get(int(m.group(1)), "unknown-channel"), text)
    text = re.sub(r"<@&(\d+)>", lambda m: "@" + names.roles.get(int(m.group(1)), "unknown-role"), text)
    text = re.sub(r"<@!?(\d+)>", lambda m: "@" + names.users.get(int(m.group(1)), "unknown-user"), text)
    text = re.sub(r"</([\w -]+):\d+>", r"/\1", text)
    text = re.sub(r"<t:(-?\d+)(?::([tTdDfFR]))?>", lambda m: _when(m.group(1), m.group(2) or "f"), text)
    lines: list[str] = []
    fenced = False
    for raw in text.split("\n"):
        if raw.strip().startswith("```"):
            fenced = not fenced
            continue
        lines.append(INDENT + raw if fenced else _line(raw, style))
    return lines


def _line(raw: str, style: Style) -> str:
    escaped: list[str] = []

    def hold(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return _PLACEHOLDER

    line = _ESCAPED.sub(hold, raw)
    heading = re.match(r"^(#{1,3}) (.*)$", line)
    small = re.match(r"^-# (.*)$", line)
    quote = re.match(r"^>>?>? ?(.*)$", line)
    if heading:
        line = heading.group(2)
    elif small:
        line = small.group(1)
    elif quote:
        line = "▎ " + quote.group(1)
    line = re.sub(r"\[([^\]\n]+)\]\(<?(https?://[^)\s>]+)>?\)", r"\1 \2", line)
    line = re.sub(r"\*\*(.+?)\*\*", lambda m: style.bold(m.group(1)), line)
    line = re.sub(r"__(.+?)__", lambda m: m.group(1), line)
    line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", lambda m: style.italic(m.group(1)), line)
    line = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", lambda m: style.italic(m.group(1)), line)
    line = re.sub(r"~~(.+?)~~", lambda m: m.group(1), line)
    line = re.sub(r"\|\|(.+?)\|\|", lambda m: m.group(1), line)
    line = re.sub(r"`([^`\n]+)`", lambda m: m.group(1), line)
    line = re.sub(r"(?<!\S)<(https?://[^>\s]+)>", r"\1", line)
    for char in escaped:
        line = line.replace(_PLACEHOLDER, char, 1)
    if heading:
        return style.bold(line)
    if small:
        return style.dim(line)
    return line


def _emoji(component: JSON) -> str:
    emoji = component.get("emoji") or {}
    if not emoji:
        return ""
    name = str(emoji.get("name") or "")
    return (name if not emoji.get("id") else f":{name}:") + " "


@dataclass
class Renderer:
    """Renders messages and modals; numbers controls across one batch of output."""

    names: Names
    style: Style = field(default_factory=Style)
    read_text: Callable[[JSON], str | None] = lambda _: None
    controls: list[Control] = field(default_factory=list)

    def message_body(self, message: JSON) -> list[str]:
        """Content, embeds, attachments and components of a message, indented."""
        out: list[str] = []
        if message.get("content"):
            out += [INDENT + line for line in markdown(message["content"], self.names, self.style)]
        for embed in message.get("embeds") or []:
            if out:
                out.append(INDENT.rstrip())
            out += self._embed(embed)
        for attachment in message.get("attachments") or []:
            out += self._attachment(attachment)
        out += self._components(message.get("components") or [], int(message.get("id", 0)), INDENT)
        return [line.rstrip() for line in out]

    def _embed(self, embed: JSON) -> list[str]:
        bar = INDENT + "│ "
        body: list[str] = []
        author = (embed.get("author") or {}).get("name")
        if author:
            body.append(self.style.dim(author))
        if embed.get("title"):
            body.append(self.style.bold(" ".join(markdown(embed["title"], self.names, Style()))))
        if embed.get("url"):
            body.append(embed["url"])
        if embed.get("description"):
            body += markdown(embed["description"], self.names, self.style)
        for embed_field in embed.get("fields") or []:
            body.append("")
            name = " ".join(markdown(str(embed_field.get("name", "")), self.names, Style()))
            body.append(self.style.bold(name))
            body += markdown(str(embed_field.get("value", "")), self.names, self.style)
        image = (embed.get("image") or {}).get("url") or (embed.get("thumbnail") or {}).get("url")
        if image:
            body.append(self.style.dim(f"[image {image.rsplit('/', 1)[-1]}]"))
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            body.append(self.style.dim(footer))
        return [(bar + line).rstrip() for line in body]

    def _attachment(self, attachment: JSON) -> list[str]:
        name = str(attachment.get("filename", "file"))
        size = int(attachment.get("size", 0))
        kind = str(attachment.get("content_type") or "")
        lines = [f"{INDENT}📎 {name} ({_size(size)})"]
        text = self.read_text(attachment)
        if text is not None:
            shown = text.rstrip("\n").split("\n")
            if len(shown) > MAX_FILE_LINES:
                shown = [*shown[:MAX_FILE_LINES], f"… {len(shown) - MAX_FILE_LINES} more lines"]
            lines += [f"{INDENT}   {line}".rstrip() for line in shown]
        elif kind and not kind.startswith(_TEXT_TYPES):
            lines[0] = f"{INDENT}📎 {name} ({kind}, {_size(size)})"
        return lines

    def _components(self, components: Iterable[JSON], message_id: int, indent: str) -> list[str]:
        out: list[str] = []
        for component in components:
            ctype = component.get("type")
            if ctype == 1:
                out += self._components(component.get("components") or [], message_id, indent)
            elif ctype == 2:
                out.append(indent + self._button(component, message_id))
            elif ctype in (3, 5, 6, 7, 8):
                out += [indent + line for line in self._select(component, message_id)]
            elif ctype == 10:
                out += [
                    indent + line
                    for line in markdown(str(component.get("content", "")), self.names, self.style)
                ]
            elif ctype == 9:
                out += self._components(component.get("components") or [], message_id, indent)
                accessory = component.get("accessory")
                if accessory:
                    out += self._components([accessory], message_id, indent)
            elif ctype == 17:
                out += self._components(component.get("components") or [], message_id, indent + "│ ")
            elif ctype == 14:
                out.append(indent.rstrip())
            elif ctype in (11, 12, 13):
                out.append(indent + self.style.dim("[media]"))
        return out

    def _number(self, control: Control) -> str:
        self.controls.append(control)
        return f"[{control.number}]"

    def _button(self, button: JSON, message_id: int) -> str:
        label = _emoji(button) + str(button.get("label") or "")
        disabled = bool(button.get("disabled"))
        if button.get("style") == 5 or button.get("url"):
            control = Control(
                len(self.controls) + 1,
                message_id,
                "link",
                "",
                label.strip(),
                url=str(button.get("url", "")),
                disabled=disabled,
            )
            return f"{self._number(control)} {label.strip()} → {button.get('url', '')}"
        control = Control(
            len(self.controls) + 1,
            message_id,
            "button",
            str(button.get("custom_id", "")),
            label.strip(),
            disabled=disabled,
        )
        note = " (button, disabled)" if disabled else " (button)"
        return f"{self._number(control)} {label.strip()}{self.style.dim(note)}"

    def _select(self, menu: JSON, message_id: int) -> list[str]:
        options = tuple(
            (str(o.get("value")), _emoji(o) + str(o.get("label", ""))) for o in menu.get("options") or []
        )
        low, high = int(menu.get("min_values", 1)), int(menu.get("max_values", 1))
        control = Control(
            len(self.controls) + 1,
            message_id,
            "select",
            str(menu.get("custom_id", "")),
            str(menu.get("placeholder") or "menu"),
            options,
            low,
            high,
            disabled=bool(menu.get("disabled")),
        )
        how = f"choose {low}" if low == high else f"choose {low} to {high}"
        lines = [f"{self._number(control)} {control.label} {self.style.dim(f'(menu: {how})')}"]
        lines += [f"      {i}. {label}" for i, (_, label) in enumerate(options, start=1)]
        return lines


def _size(size: int) -> str:
    return f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} kB"


def text_attachment(filename: str, content_type: str, data: bytes) -> str | None:
    """The text of an attachment worth printing (JSON pretty as sent), or None for binary files."""
    if not (content_type.startswith(_TEXT_TYPES) or filename.lower().endswith(_TEXT_SUFFIXES)):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if filename.lower().endswith(".json"):
        try:
            return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            return text
    return text


def modal_fields(modal: JSON) -> tuple[list[str], list[ModalField]]:
    """The texts shown in a modal and its input fields, in order."""
    texts: list[str] = []
    fields: list[ModalField] = []

    def visit(components: Iterable[JSON], label: str | None) -> None:
        for component in components:
            ctype = component.get("type")
            if ctype == 18 and isinstance(component.get("component"), dict):
                visit([component["component"]], str(component.get("label") or ""))
            elif ctype == 1:
                visit(component.get("components") or [], None)
            elif ctype == 10:
                texts.append(str(component.get("content", "")))
            elif ctype in (3, 4, 5, 6, 7, 8, 21, 22, 23):
                fields.append(_field(component, label))

    visit(modal.get("components") or [], None)
    return texts, fields


def _field(component: JSON, label: str | None) -> ModalField:
    ctype = component.get("type")
    name = label or str(component.get("label") or component.get("placeholder") or component.get("custom_id"))
    key = str(component.get("custom_id"))
    required = bool(component.get("required", True))
    options = tuple((str(o.get("value")), str(o.get("label", ""))) for o in component.get("options") or [])
    if ctype == 4:
        return ModalField(
            key,
            name,
            "text",
            required,
            paragraph=component.get("style") == 2,
            max_length=int(component.get("max_length", 4000)),
            placeholder=str(component.get("placeholder") or ""),
            default=component.get("value") or None,
        )
    if ctype == 23:
        return ModalField(key, name, "checkbox", False)
    low = int(component.get("min_values", 1 if required else 0))
    high = int(component.get("max_values", 1))
    if ctype in (21, 22):
        high = 1 if ctype == 21 else len(options)
    kind = "select" if ctype in (3, 21, 22) else "entity"
    chosen = tuple(str(o.get("value")) for o in component.get("options") or [] if o.get("default"))
    return ModalField(
        key,
        name,
        kind,
        required and low > 0,
        options,
        low,
        high,
        placeholder=str(component.get("placeholder") or ""),
        default=chosen or None,
    )


def choice_values(field_: ModalField, answer: str) -> list[str]:
    """Option values for an answer: numbers, values or labels, separated by commas (or spaces)."""
    parts = [p.strip() for p in answer.split(",") if p.strip()]
    if len(parts) == 1 and " " in parts[0] and _pick(field_, parts[0]) is None:
        parts = parts[0].split()
    chosen: list[str] = []
    for part in parts:
        value = _pick(field_, part)
        if value is None:
            shown = ", ".join(f"{i}. {label}" for i, (_, label) in enumerate(field_.options, start=1))
            raise ValueError(f"“{part}” is not one of the choices for “{field_.label}”: {shown}")
        if value not in chosen:
            chosen.append(value)
    return chosen


def _pick(field_: ModalField, part: str) -> str | None:
    for value, _ in field_.options:
        if value == part:
            return value
    folded = part.casefold()
    for value, label in field_.options:
        if label.casefold() == folded:
            return value
    if part.isdigit() and 1 <= int(part) <= len(field_.options):
        return field_.options[int(part) - 1][0]
    matches = [value for value, label in field_.options if folded in label.casefold()]
    return matches[0] if len(matches) == 1 else None


def describe(value: Any) -> str:
    """A short form of a submitted value for echoing."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    return str(value)
