"""/reach without Discord or a database: codes, thread names, delays, states and limits.

A conversation is a capability, not an identity: the member holds a random code and kindred
keeps only its keyed hash. Everything here that involves chance takes its randomness as an
argument, and everything that involves time takes `today` or `now`, so tests pin both.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

CODE_BYTES = 18  # 144 bits: above the 128 the design asks for
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{24}$")
HANDLE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read aloud
HANDLE_LENGTH = 8
MAX_MESSAGE = 1500
MAX_REPLY = 1800
DAILY_LIMIT = 12  # member messages (openings and answers) per member per day per guild
OPEN_LIMIT = 3  # conversations a member may open per day per guild
BLOCK_DAYS_DEFAULT = 30
BLOCK_DAYS_MAX = 365
KEPT_DAYS_DEFAULT = 30
SNIPPETS = ("thanks", "listening", "meet", "resources", "crisis")

STATES = ("waiting", "open", "answered", "closed")

Randbelow = Callable[[int], int]


def new_code(token: Callable[[int], str] = secrets.token_urlsafe) -> str:
    """A fresh capability code (144 random bits, URL-safe, 24 characters)."""
    code = token(CODE_BYTES)
    if not CODE_RE.match(code):
        raise ValueError("the code source returned something that is not a code")
    return code


def clean_code(typed: str) -> str | None:
    """The code a member typed or pasted (spaces and backticks dropped), None if it cannot be one."""
    code = typed.strip().strip("`").strip()
    return code if CODE_RE.match(code) else None


def new_handle(randbelow: Randbelow = secrets.randbelow) -> str:
    """A random public name for a conversation and its thread: never derived from any id."""
    return "".join(HANDLE_ALPHABET[randbelow(len(HANDLE_ALPHABET))] for _ in range(HANDLE_LENGTH))


def thread_name(prefix: str, handle: str) -> str:
    """The private thread's name: a fixed word and the random handle, nothing else."""
    return f"{prefix}-{handle}"[:100]


def member_delay(max_minutes: int, randbelow: Randbelow = secrets.randbelow) -> timedelta:
    """How long an anonymous message waits before it appears: between a third of the bound and the bound.

    The reps then cannot tie a message to the moment someone in the lab stepped away to type it.
    """
    if max_minutes <= 0:
        return timedelta(0)
    high = max_minutes * 60
    low = high // 3
    return timedelta(seconds=low + randbelow(high - low + 1))


def post_time(
    now: datetime, *, anonymous: bool, max_minutes: int, randbelow: Randbelow = secrets.randbelow
) -> datetime:
    """When a member message may be posted: named ones at once, anonymous ones after the jittered delay."""
    return now + (member_delay(max_minutes, randbelow) if anonymous else timedelta(0))


def after_member_message(state: str) -> str:
    """The state once the member wrote: the reps owe an answer (a waiting first message stays waiting)."""
    if state == "closed":
        raise ValueError("a closed conversation takes no messages")
    return "waiting" if state == "waiting" else "open"


def after_rep_reply(state: str) -> str:
    """The state once a rep answered: the member has something to read."""
    if state in ("closed", "waiting"):
        raise ValueError(f"a {state} conversation cannot be answered")
    return "answered"


def block_days(typed: str | None) -> int:
    """Days a block lasts from what a rep typed (empty = the default); ValueError outside 1..365."""
    text = (typed or "").strip()
    if not text:
        return BLOCK_DAYS_DEFAULT
    if not text.isdigit():
        raise ValueError("not a number of days")
    days = int(text)
    if not 1 <= days <= BLOCK_DAYS_MAX:
        raise ValueError("out of range")
    return days


def block_ends(today: date, days: int) -> str:
    """The first day a block no longer applies (ISO date)."""
    return (today + timedelta(days=days)).isoformat()


def forget_before(today: date, kept_days: int) -> str:
    """Conversations closed on or before this day are due to be deleted (ISO date)."""
    return (today - timedelta(days=max(1, kept_days))).isoformat()


@dataclass(frozen=True)
class StateCounts:
    """Open conversations of one guild by state (counts only; nothing names a member)."""

    waiting: int = 0
    open: int = 0
    answered: int = 0
    urgent: int = 0
    closed: int = 0

    @property
    def active(self) -> int:
        """Conversations not closed."""
        return self.waiting + self.open + self.answered


def count_states(rows: Iterable[tuple[str, bool]]) -> StateCounts:
    """Tally (state, urgent) pairs; urgent counts only conversations still open."""
    tally = dict.fromkeys(STATES, 0)
    urgent = 0
    for state, is_urgent in rows:
        tally[state] = tally.get(state, 0) + 1
        if is_urgent and state != "closed":
            urgent += 1
    return StateCounts(tally["waiting"], tally["open"], tally["answered"], urgent, tally["closed"])
