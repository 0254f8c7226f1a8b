"""Server-side validation Discord applies to bodies the bot sends (limits that produce 50035).

Each ``validate_*`` function returns a list of :class:`FieldError`; an empty list means valid.
The checks cover the limits a bot realistically hits (lengths, counts, required fields); they are
not a full re-implementation of Discord's schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]

MESSAGE_CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
COMPONENTS_V2_FLAG = 1 << 15

_EMBED_LIMITS: dict[str, int] = {"title": 256, "description": 4096}
_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$", re.UNICODE)


@dataclass(frozen=True)
class FieldError:
    """One invalid field: dotted ``path`` (e.g. ``embeds.0.title``), Discord error code and text."""

    path: str
    code: str
    message: str


def form_errors(errors: list[FieldError]) -> JSON:
    """Nest errors the way Discord reports them in a 50035 ``errors`` object."""
    root: JSON = {}
    for error in errors:
        node = root
        for part in error.path.split(".") if error.path else []:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": error.code, "message": error.message})
    return root


def _too_long(path: str, value: Any, limit: int) -> list[FieldError]:
    if isinstance(value, str) and len(value) > limit:
        return [FieldError(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def _required(path: str) -> FieldError:
    return FieldError(path, "BASE_TYPE_REQUIRED", "This field is required")


def iter_components(components: Any) -> Iterator[JSON]:
    """Depth-first walk over nested components (rows, containers, sections, labels)."""
    if not isinstance(components, list):
        return
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        yield from iter_components(component.get("components"))
        for key in ("component", "accessory"):
            child = component.get(key)
            if isinstance(child, dict):
                yield from iter_components([child])


def validate_embeds(embeds: Any) -> list[FieldError]:
    """Embed count, per-field and total-length limits."""
    errors: list[FieldError] = []
    if not isinstance(embeds, list):
        return errors
    if len(embeds) > EMBEDS_MAX:
        errors.append(FieldError("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."))
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        base = f"embeds.{i}"
        for key, limit in _EMBED_LIMITS.items():
            errors += _too_long(f"{base}.{key}", embed.get(key), limit)
            total += len(embed.get(key) or "")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors.append(
                FieldError(f"{base}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            )
        for j, fld in enumerate(fields):
            name, value = fld.get("name"), fld.get("value")
            if not name:
                errors.append(_required(f"{base}.fields.{j}.name"))
            if not value:
                errors.append(_required(f"{base}.fields.{j}.value"))
            errors += _too_long(f"{base}.fields.{j}.name", name, 256)
            errors += _too_long(f"{base}.fields.{j}.value", value, 1024)
            total += len(name or "") + len(value or "")
        footer = embed.get("footer") or {}
        author = embed.get("author") or {}
        errors += _too_long(f"{base}.footer.text", footer.get("text"), 2048)
        errors += _too_long(f"{base}.author.name", author.get("name"), 256)
        total += len(footer.get("text") or "") + len(author.get("name") or "")
    if total > EMBED_TOTAL_MAX:
        errors.append(
            FieldError("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        )
    return errors


def validate_components(components: Any, *, v2: bool) -> list[FieldError]:
    """Row/child counts, custom_id uniqueness and lengths, button and select constraints."""
    errors: list[FieldError] = []
    if not isinstance(components, list):
        return errors
    if not v2:
        if len(components) > 5:
            errors.append(FieldError("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."))
        for i, row in enumerate(components):
            if row.get("type") != 1:
                errors.append(
                    FieldError(f"components.{i}.type", "UNION_TYPE_CHOICES", "Value must be an action row.")
                )
            elif len(row.get("components") or []) > 5:
                errors.append(
                    FieldError(
                        f"components.{i}.components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."
                    )
                )
    seen: set[str] = set()
    for component in iter_components(components):
        ctype = component.get("type")
        custom_id = component.get("custom_id")
        if isinstance(custom_id, str):
            errors += _too_long("components.custom_id", custom_id, 100)
            if custom_id in seen:
                errors.append(
                    FieldError(
                        "components.custom_id",
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        f"Component custom id {custom_id!r} cannot be duplicated",
                    )
                )
            seen.add(custom_id)
        if ctype == 2:
            errors += _too_long("components.label", component.get("label"), 80)
            is_link = component.get("style") == 5
            if is_link and not component.get("url"):
                errors.append(_required("components.url"))
            if not is_link and component.get("style") != 6 and not custom_id:
                errors.append(_required("components.custom_id"))
        elif ctype == 3:
            options = component.get("options") or []
            if not 1 <= len(options) <= 25:
                errors.append(
                    FieldError(
                        "components.options", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
                    )
                )
            for opt in options:
                errors += _too_long("components.options.label", opt.get("label"), 100)
                errors += _too_long("components.options.value", opt.get("value"), 100)
        if ctype in (3, 5, 6, 7, 8):
            errors += _too_long("components.placeholder", component.get("placeholder"), 150)
    return errors


def validate_message(body: JSON, *, has_files: bool, is_edit: bool) -> list[FieldError]:
    """Validate a message create/edit body (also used for interaction responses and followups)."""
    errors: list[FieldError] = []
    flags = int(body.get("flags") or 0)
    v2 = bool(flags & COMPONENTS_V2_FLAG)
    content = body.get("content")
    errors += _too_long("content", content, MESSAGE_CONTENT_MAX)
    errors += validate_embeds(body.get("embeds"))
    errors += validate_components(body.get("components"), v2=v2)
    if v2 and (content or body.get("embeds")):
        errors.append(
            FieldError(
                "content",
                "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
            )
        )
    if not is_edit and not (
        content
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or has_files
    ):
        errors.append(FieldError("", "EMPTY_MESSAGE", "Cannot send an empty message"))
    return errors


def validate_modal(data: JSON) -> list[FieldError]:
    """Title, custom_id and child limits of a modal (callback type 9)."""
    errors: list[FieldError] = []
    title = data.get("title")
    if not title:
        errors.append(_required("data.title"))
    errors += _too_long("data.title", title, 45)
    if not data.get("custom_id"):
        errors.append(_required("data.custom_id"))
    errors += _too_long("data.custom_id", data.get("custom_id"), 100)
    top = data.get("components") or []
    if not 1 <= len(top) <= 5:
        errors.append(
            FieldError("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        )
    for component in iter_components(top):
        ctype = component.get("type")
        if ctype == 18:
            errors += _too_long("data.components.label", component.get("label"), 45)
            errors += _too_long("data.components.description", component.get("description"), 100)
        elif ctype == 4:
            if "label" in component:
                errors += _too_long("data.components.label", component.get("label"), 45)
            errors += _too_long("data.components.value", component.get("value"), 4000)
            if not component.get("custom_id"):
                errors.append(_required("data.components.custom_id"))
    return errors


def validate_choices(choices: Any) -> list[FieldError]:
    """Autocomplete result: at most 25 choices, names 1-100 chars, string values up to 100."""
    errors: list[FieldError] = []
    if not isinstance(choices, list):
        return [_required("data.choices")]
    if len(choices) > 25:
        errors.append(FieldError("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    for i, choice in enumerate(choices):
        name = choice.get("name")
        if not name:
            errors.append(_required(f"data.choices.{i}.name"))
        errors += _too_long(f"data.choices.{i}.name", name, 100)
        errors += _too_long(f"data.choices.{i}.value", choice.get("value"), 100)
    return errors


def validate_commands(commands: Any) -> list[FieldError]:
    """Bulk-overwrite body: names, descriptions, option counts and ordering, duplicates."""
    if not isinstance(commands, list):
        return [FieldError("", "BASE_TYPE_ARRAY", "Must be an array.")]
    errors: list[FieldError] = []
    seen: set[tuple[str, int]] = set()
    for i, command in enumerate(commands):
        ctype = int(command.get("type", 1))
        name = command.get("name", "")
        key = (name, ctype)
        if key in seen:
            errors.append(
                FieldError(f"{i}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", f"Duplicate name {name!r}")
            )
        seen.add(key)
        errors += _validate_command_node(str(i), command, chat_input=ctype == 1)
    return errors


def _validate_command_node(path: str, node: JSON, *, chat_input: bool) -> list[FieldError]:
    errors: list[FieldError] = []
    name = node.get("name", "")
    if chat_input and (not _COMMAND_NAME.match(name) or name != name.lower()):
        errors.append(
            FieldError(
                f"{path}.name", "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}"
            )
        )
    description = node.get("description", "")
    if chat_input and not 1 <= len(description) <= 100:
        errors.append(
            FieldError(f"{path}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        )
    options = node.get("options") or []
    if len(options) > 25:
        errors.append(FieldError(f"{path}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    seen_optional = False
    for j, option in enumerate(options):
        opt_path = f"{path}.options.{j}"
        if option.get("type") in (1, 2):
            errors += _validate_command_node(opt_path, option, chat_input=True)
            continue
        errors += _validate_command_node(opt_path, {**option, "options": []}, chat_input=True)
        if option.get("required"):
            if seen_optional:
                errors.append(
                    FieldError(
                        f"{opt_path}.required",
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
                )
        else:
            seen_optional = True
        if len(option.get("choices") or []) > 25:
            errors.append(
                FieldError(f"{opt_path}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            )
    return errors
