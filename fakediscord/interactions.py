"""Interaction payload building (options, components, modal submissions) and result handles."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fakediscord.models import UploadedFile
from fakediscord.validation import iter_components

if TYPE_CHECKING:
    from fakediscord.fake_discord import FakeDiscord

JSON = dict[str, Any]


class InteractionType:
    """Interaction types."""

    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType:
    """Interaction callback (response) types."""

    PONG = 1
    CHANNEL_MESSAGE = 4
    DEFERRED_CHANNEL_MESSAGE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class OptionType:
    """Application command option types."""

    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


EPHEMERAL = 1 << 6
LOADING = 1 << 7


# -- markers for entity options -----------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """Marker: pass ``Channel(id)`` as a command option / select value to mean a channel."""

    id: int


@dataclass(frozen=True)
class Attachment:
    """Marker: a file the user attaches to an attachment option (uploaded to the fake's CDN)."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"
    upload_id: int = 0  # set by the fake once the file is on its CDN


@dataclass(frozen=True)
class Role:
    """Marker: pass ``Role(id)`` as a command option / select value to mean a role."""

    id: int


@dataclass(frozen=True)
class User:
    """Marker: pass ``User(id)`` as a command option / select value to mean a user."""

    id: int


OptionValue = str | int | float | bool | Channel | Role | User | Attachment
ModalValue = str | bool | Sequence[str | int | Channel | Role | User]


# -- loud failures --------------------------------------------------------------------------------


class InvocationError(ValueError):
    """A test asked for something the Discord client would never send."""


class UnknownCommandError(InvocationError):
    """The command (or subcommand) was not synced to the fake."""


class UnknownOptionError(InvocationError):
    """An option, component or modal field name does not exist."""


class InvalidOptionError(InvocationError):
    """A value violates the synced schema (type, choices, limits, required)."""


class InvocationRejectedError(InvocationError):
    """Discord would refuse the invocation (default_member_permissions, contexts)."""


#: Fills ``resolved`` for an entity id: (option type 6/7/8/9, id, resolved dict) -> None.
#: Type 9 (mentionable) means "a role if such a role exists, else a user".
AddResolved = Callable[[int, int, JSON], None]


# -- command options ------------------------------------------------------------------------------


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):
        return OptionType.BOOLEAN
    if isinstance(value, int):
        return OptionType.INTEGER
    if isinstance(value, float):
        return OptionType.NUMBER
    if isinstance(value, str):
        return OptionType.STRING
    if isinstance(value, User):
        return OptionType.USER
    if isinstance(value, Channel):
        return OptionType.CHANNEL
    if isinstance(value, Role):
        return OptionType.ROLE
    if isinstance(value, Attachment):
        return OptionType.ATTACHMENT
    raise InvalidOptionError(f"cannot infer an option type for {value!r}")


def _entity_value(otype: int, value: Any, name: str, add_resolved: AddResolved, resolved: JSON) -> str:
    markers: dict[int, tuple[type, ...]] = {
        OptionType.USER: (User,),
        OptionType.CHANNEL: (Channel,),
        OptionType.ROLE: (Role,),
        OptionType.MENTIONABLE: (User, Role),
    }
    if isinstance(value, (User, Role, Channel)) and isinstance(value, markers[otype]):
        kind = {User: OptionType.USER, Role: OptionType.ROLE, Channel: OptionType.CHANNEL}[type(value)]
        entity_id = value.id
    elif isinstance(value, int) and not isinstance(value, bool):
        kind, entity_id = otype, value
    else:
        raise InvalidOptionError(f"option {name!r} (type {otype}) needs an id or marker, got {value!r}")
    add_resolved(kind, entity_id, resolved)
    return str(entity_id)


def _check_against_schema(name: str, value: Any, spec: JSON) -> None:
    otype = spec["type"]
    expected: dict[int, tuple[type, ...]] = {
        OptionType.STRING: (str,),
        OptionType.INTEGER: (int,),
        OptionType.BOOLEAN: (bool,),
        OptionType.NUMBER: (int, float),
    }
    if otype in expected:
        ok = isinstance(value, expected[otype]) and (
            otype == OptionType.BOOLEAN or not isinstance(value, bool)
        )
        if not ok:
            raise InvalidOptionError(f"option {name!r} has type {otype}; {value!r} does not fit")
    choices = spec.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        allowed = [c["value"] for c in choices]
        raise InvalidOptionError(f"option {name!r} must be one of {allowed!r}, got {value!r}")
    if otype in (OptionType.INTEGER, OptionType.NUMBER):
        low, high = spec.get("min_value"), spec.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidOptionError(f"option {name!r}={value!r} outside [{low}, {high}]")
    if otype == OptionType.STRING:
        low, high = spec.get("min_length", 0), spec.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise InvalidOptionError(f"option {name!r} length {len(value)} outside [{low}, {high}]")


def _leaf_options(
    values: Mapping[str, Any],
    specs: list[JSON] | None,
    *,
    focused: str | None,
    add_resolved: AddResolved,
    resolved: JSON,
    where: str,
) -> list[JSON]:
    out: list[JSON] = []
    by_name = {s["name"]: s for s in specs} if specs is not None else None
    if focused is not None and focused not in values:
        values = {**values, focused: ""}
    for name, value in values.items():
        if by_name is not None and name not in by_name:
            raise UnknownOptionError(f"{where} has no option {name!r}; options: {sorted(by_name)}")
        spec = by_name[name] if by_name is not None else None
        if name == focused:
            if spec is not None and not spec.get("autocomplete"):
                raise InvalidOptionError(f"option {name!r} of {where} has no autocomplete")
            otype = spec["type"] if spec is not None else OptionType.STRING
            out.append({"name": name, "type": otype, "value": str(value), "focused": True})
            continue
        otype = spec["type"] if spec is not None else _infer_type(value)
        if otype in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP):
            raise InvalidOptionError(f"{name!r} is a subcommand; put it in the command path")
        if otype == OptionType.ATTACHMENT:
            if not isinstance(value, Attachment) or not value.upload_id:
                raise InvalidOptionError(f"option {name!r} takes an Attachment(filename, data)")
            add_resolved(OptionType.ATTACHMENT, value.upload_id, resolved)
            out.append({"name": name, "type": otype, "value": str(value.upload_id)})
            continue
        if otype in (OptionType.USER, OptionType.CHANNEL, OptionType.ROLE, OptionType.MENTIONABLE):
            if spec is not None and otype == OptionType.CHANNEL and spec.get("channel_types"):
                marker_id = value.id if isinstance(value, Channel) else value
                add_resolved(OptionType.CHANNEL, int(marker_id), resolved)
                ctype = resolved["channels"][str(marker_id)]["type"]
                if ctype not in spec["channel_types"]:
                    raise InvalidOptionError(
                        f"option {name!r} accepts channel types {spec['channel_types']}, got {ctype}"
                    )
            wire: Any = _entity_value(otype, value, name, add_resolved, resolved)
        else:
            if spec is not None:
                _check_against_schema(name, value, spec)
            wire = float(value) if otype == OptionType.NUMBER and spec is not None else value
        out.append({"name": name, "type": otype, "value": wire})
    if specs is not None and focused is None:
        missing = [s["name"] for s in specs if s.get("required") and s["name"] not in values]
        if missing:
            raise InvalidOptionError(f"{where} is missing required options {missing}")
    return out


def build_command_data(
    path: Sequence[str],
    values: Mapping[str, Any],
    schema: JSON | None,
    *,
    focused: str | None,
    add_resolved: AddResolved,
) -> tuple[list[JSON], JSON]:
    """Build ``data.options`` (with SUB_COMMAND(_GROUP) nesting) and ``data.resolved``.

    With a synced ``schema`` every name and value is checked; without one, types are inferred.
    """
    resolved: JSON = {}
    where = "/" + " ".join(path)
    if schema is None:
        if len(path) > 3:
            raise UnknownCommandError(f"{where}: at most a group and a subcommand are allowed")
        leaf = _leaf_options(
            values, None, focused=focused, add_resolved=add_resolved, resolved=resolved, where=where
        )
        implied = (
            [OptionType.SUB_COMMAND]
            if len(path) == 2
            else [OptionType.SUB_COMMAND_GROUP, OptionType.SUB_COMMAND]
        )
        return _nest(list(path[1:]), implied if len(path) > 1 else [], leaf), resolved
    node = schema
    kinds: list[int] = []
    for depth, segment in enumerate(path[1:], start=1):
        children = [o for o in node.get("options") or [] if o["type"] in (1, 2)]
        match = next((o for o in children if o["name"] == segment), None)
        if match is None:
            parent = "/" + " ".join(path[:depth])
            raise UnknownCommandError(
                f"{parent} has no subcommand {segment!r}; has {[o['name'] for o in children]}"
            )
        kinds.append(match["type"])
        node = match
    sub = [o for o in node.get("options") or [] if o["type"] in (1, 2)]
    if sub:
        raise UnknownCommandError(f"{where} is a group; invoke one of {[o['name'] for o in sub]}")
    leaf = _leaf_options(
        values,
        list(node.get("options") or []),
        focused=focused,
        add_resolved=add_resolved,
        resolved=resolved,
        where=where,
    )
    return _nest(list(path[1:]), kinds, leaf), resolved


def _nest(names: list[str], kinds: list[int], leaf: list[JSON]) -> list[JSON]:
    options = leaf
    for name, kind in reversed(list(zip(names, kinds, strict=True))):
        options = [{"name": name, "type": kind, "options": options}]
    return options


# -- message components ---------------------------------------------------------------------------


def find_component(message: JSON, key: str, kinds: tuple[int, ...]) -> JSON:
    """Find a component of the given types by custom_id, else by button label / placeholder."""
    candidates = [c for c in iter_components(message.get("components")) if c.get("type") in kinds]
    for component in candidates:
        if component.get("custom_id") == key:
            return component
    by_text = [c for c in candidates if key in (c.get("label"), c.get("placeholder"))]
    if len(by_text) == 1:
        return by_text[0]
    available = [c.get("custom_id") or c.get("label") for c in candidates]
    detail = "ambiguous" if by_text else "not found"
    raise UnknownOptionError(
        f"component {key!r} {detail} in message {message.get('id')}; available: {available}"
    )


def select_values(
    component: JSON, values: Sequence[Any], add_resolved: AddResolved, resolved: JSON
) -> list[str]:
    """Validate and serialize chosen values for a string/entity select."""
    ctype = component["type"]
    low = component.get("min_values", 1)
    high = component.get("max_values", 1)
    if not low <= len(values) <= high:
        raise InvalidOptionError(
            f"select {component.get('custom_id')!r} takes {low}..{high} values, got {len(values)}"
        )
    if ctype == 3:
        allowed = [o["value"] for o in component.get("options") or []]
        out = []
        for value in values:
            if value not in allowed:
                raise InvalidOptionError(
                    f"select {component.get('custom_id')!r} has no option {value!r}; options {allowed}"
                )
            out.append(str(value))
        return out
    kind_by_select = {5: OptionType.USER, 6: OptionType.ROLE, 8: OptionType.CHANNEL}
    out = []
    for value in values:
        if isinstance(value, User):
            kind, entity_id = OptionType.USER, value.id
        elif isinstance(value, Role):
            kind, entity_id = OptionType.ROLE, value.id
        elif isinstance(value, Channel):
            kind, entity_id = OptionType.CHANNEL, value.id
        elif ctype in kind_by_select:
            kind, entity_id = kind_by_select[ctype], int(value)
        else:
            raise InvalidOptionError(f"mentionable select needs User()/Role() markers, got {value!r}")
        add_resolved(kind, entity_id, resolved)
        out.append(str(entity_id))
    return out


# -- modals ---------------------------------------------------------------------------------------

_MODAL_INPUT_TYPES = (3, 4, 5, 6, 7, 8, 19, 21, 22, 23)


@dataclass
class _ModalField:
    component: JSON
    label: str | None


def _modal_fields(modal: JSON) -> list[_ModalField]:
    fields: list[_ModalField] = []

    def visit(components: list[JSON], label: str | None) -> None:
        for c in components:
            if c.get("type") == 18 and isinstance(c.get("component"), dict):
                visit([c["component"]], c.get("label"))
            elif c.get("type") == 1:
                visit(c.get("components") or [], None)
            elif c.get("type") in _MODAL_INPUT_TYPES:
                fields.append(_ModalField(c, label or c.get("label") or c.get("placeholder")))

    visit(modal.get("components") or [], None)
    return fields


def build_modal_submission(
    modal: JSON, values: Mapping[str, ModalValue], add_resolved: AddResolved
) -> tuple[list[JSON], JSON]:
    """Mirror the modal the bot sent, filling in ``values`` (keyed by custom_id or label text).

    Text inputs get ``value``; selects get ``values``; Label (18) wrappers and legacy ActionRow (1)
    wrappers are kept, and numeric component ``id``s are assigned depth-first like Discord.
    """
    fields = _modal_fields(modal)
    assigned: dict[int, Any] = {}
    for key, value in values.items():
        match = [f for f in fields if f.component.get("custom_id") == key]
        if not match:
            match = [f for f in fields if f.label == key]
        if len(match) != 1:
            known = [(f.component.get("custom_id"), f.label) for f in fields]
            problem = "is ambiguous" if match else "does not exist"
            raise UnknownOptionError(
                f"modal {modal.get('custom_id')!r}: field {key!r} {problem}; "
                f"fields (custom_id, label): {known}"
            )
        assigned[id(match[0].component)] = value
    resolved: JSON = {}
    counter = 0

    def next_id(component: JSON) -> int:
        nonlocal counter
        counter += 1
        return int(component.get("id") or counter)

    def fill(c: JSON) -> JSON:
        ctype = c.get("type")
        if ctype == 18:
            return {"type": 18, "id": next_id(c), "component": fill(c["component"])}
        if ctype == 1:
            return {"type": 1, "id": next_id(c), "components": [fill(x) for x in c.get("components") or []]}
        if ctype not in _MODAL_INPUT_TYPES:
            return {"type": ctype, "id": next_id(c)}
        out: JSON = {"type": ctype, "id": next_id(c), "custom_id": c.get("custom_id")}
        given = assigned.get(id(c))
        name = c.get("custom_id")
        if ctype == 4:
            text = "" if given is None else str(given)
            required = c.get("required", True)
            if required and not text:
                raise InvalidOptionError(f"modal text input {name!r} is required")
            low, high = c.get("min_length", 0), c.get("max_length", 4000)
            if text and not low <= len(text) <= high:
                raise InvalidOptionError(
                    f"modal text input {name!r} length {len(text)} outside [{low}, {high}]"
                )
            out["value"] = text
        elif ctype == 23:
            out["value"] = bool(given)
        elif ctype == 21:
            out["value"] = None if given is None else str(given)
        else:
            chosen: list[Any] = (
                [] if given is None else ([given] if isinstance(given, (str, int)) else list(given))
            )
            if not chosen and c.get("required", True) and c.get("min_values", 1) > 0:
                raise InvalidOptionError(f"modal field {name!r} is required")
            out["values"] = (
                select_values(c, chosen, add_resolved, resolved)
                if chosen and ctype in (3, 5, 6, 7, 8)
                else [str(v) for v in chosen]
            )
        return out

    return [fill(c) for c in modal.get("components") or []], resolved


# -- records and handles --------------------------------------------------------------------------


@dataclass
class InteractionRecord:
    """Everything the fake knows about one interaction."""

    id: int
    token: str
    type: int
    payload: JSON
    user_id: int
    guild_id: int | None
    channel_id: int
    dispatched_at: float
    command: str | None = None
    source_message_id: int | None = None
    origin: InteractionRecord | None = None
    callback: JSON | None = None
    callback_files: list[UploadedFile] = field(default_factory=list)
    callback_at: float | None = None
    #: When the callback request reached the fake (before its body was read and validated).
    callback_received_at: float | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    visible_message_ids: list[int] = field(default_factory=list)
    late: bool = False

    @property
    def callback_type(self) -> int | None:
        """Type of the callback the bot sent, if any."""
        return None if self.callback is None else int(self.callback["type"])

    def describe(self) -> str:
        """Short description for error messages."""
        what = self.command or self.payload.get("data", {}).get("custom_id") or "?"
        return f"interaction {self.id} (type {self.type}, {what!r}, user {self.user_id})"


@dataclass
class InteractionRegistry:
    """Interactions sent to the bot, shared by the test-side API and the REST handlers."""

    records: dict[int, InteractionRecord] = field(default_factory=dict)
    by_token: dict[str, InteractionRecord] = field(default_factory=dict)
    handles: list[InteractionHandle] = field(default_factory=list)
    #: Modals the bot opened (callback type 9), oldest first, with the interaction that opened them.
    modals: list[tuple[InteractionRecord, JSON]] = field(default_factory=list)
    #: Interactions whose first callback came after the ack deadline (answered 10062).
    late: list[InteractionRecord] = field(default_factory=list)

    def add(self, handle: InteractionHandle) -> None:
        """Register a newly dispatched interaction."""
        self.records[handle.record.id] = handle.record
        self.by_token[handle.record.token] = handle.record
        self.handles.append(handle)


class InteractionHandle:
    """Await what the bot did with an interaction the test sent."""

    def __init__(self, fake: FakeDiscord, record: InteractionRecord) -> None:
        """Wrap a record of ``fake``."""
        self._fake = fake
        self.record = record

    def __repr__(self) -> str:
        """Readable form."""
        return f"<InteractionHandle {self.record.describe()}>"

    @property
    def id(self) -> int:
        """Interaction id."""
        return self.record.id

    @property
    def token(self) -> str:
        """Interaction token."""
        return self.record.token

    @property
    def payload(self) -> JSON:
        """The INTERACTION_CREATE data that was dispatched."""
        return self.record.payload

    @property
    def response_files(self) -> list[UploadedFile]:
        """Files attached to the callback (multipart)."""
        return list(self.record.callback_files)

    async def response(self, timeout: float = 10.0) -> JSON:
        """The callback body ``{"type": int, "data": {...}}`` once the bot responded."""
        rec = self.record
        await self._fake.wait_until(
            lambda: rec.callback is not None, timeout, description=f"a callback for {rec.describe()}"
        )
        return copy.deepcopy(rec.callback or {})

    async def followup(self, n: int = 0, timeout: float = 10.0) -> JSON:
        """The ``n``-th followup message (0-based) the bot sent for this interaction."""
        rec = self.record
        await self._fake.wait_until(
            lambda: len(rec.followup_ids) > n, timeout, description=f"followup #{n} of {rec.describe()}"
        )
        return self._fake.message(rec.followup_ids[n])

    def followups(self) -> list[JSON]:
        """All followup messages so far (current versions)."""
        return [self._fake.message(i) for i in self.record.followup_ids if self._fake.has_message(i)]

    def original(self) -> JSON | None:
        """Current ``@original`` message (after edits), or None."""
        mid = self.record.original_message_id
        if mid is None or not self._fake.has_message(mid):
            return None
        return self._fake.message(mid)

    async def wait_message(self, timeout: float = 10.0) -> JSON:
        """First visible message: type 4/7 response, edited deferral, or a followup (current version)."""
        rec = self.record

        def ready() -> bool:
            if rec.callback_type in (CallbackType.AUTOCOMPLETE_RESULT, CallbackType.MODAL):
                return True
            return bool(rec.visible_message_ids)

        await self._fake.wait_until(ready, timeout, description=f"a visible message from {rec.describe()}")
        if not rec.visible_message_ids:
            raise InvocationError(
                f"{rec.describe()} answered with callback type {rec.callback_type}, not a message"
            )
        return self._fake.message(rec.visible_message_ids[0])

    async def modal(self, timeout: float = 10.0) -> JSON:
        """The modal the bot opened in response (callback type 9)."""
        response = await self.response(timeout)
        if response["type"] != CallbackType.MODAL:
            raise InvocationError(
                f"{self.record.describe()} answered with type {response['type']}, not a modal"
            )
        data: JSON = response["data"]
        return data

    async def submit_modal(
        self, values: Mapping[str, ModalValue], *, user_id: int | None = None, locale: str | None = None
    ) -> InteractionHandle:
        """Submit the modal this interaction opened."""
        await self.modal()
        return self._fake._submit_opened_modal(self.record, values, user_id=user_id, locale=locale)
