"""Crisis-language screening for anonymous shares: deterministic, no language model, no network.

A share is *flagged* when it carries first-person crisis language or a warning sign: a wish
or intent to die, passive wishes not to exist, feeling a burden, self-harm, looking for means
or a plan, a final goodbye, giving possessions away. Flagged shares are held for moderator
review and the author is shown crisis lines. This is a screening aid, not a diagnosis.

The package: ``normalise`` (one pass over mixed-script text), ``en_rules`` and ``zh_rules``
(readable rule tables; pinyin forms generated from the Chinese cues), ``engine`` (matching), and
``learned``: a fixed linear model over the share's words, asked only when no rule fired, for
warning signs said in words no rule lists (category ``warning_signs``).
``screen(text) -> Screening(flagged, categories)`` is a contract outside evaluations call.
``explain`` returns the ids of the rules that fired (or the word model's), for moderators and tests.

Known decisions: "kys" / "kill yourself" on its own is abuse aimed at someone else, not the
author's own crisis, so it is not flagged ("I'm about to kys" is). Joking hyperbole with
crisis words ("不想活了，loss 又炸了哈哈", "lol kms") is still flagged on purpose: people often
mask a real crisis with "lol".

The rule tables, the normaliser and their compiled patterns (``engine`` and ``normalise``: about
0.5 s and 11 MiB) load on the first ``screen``/``explain``/``warm_up`` call, not when a cog imports
this package, so they are off the path to READY (issue 19); the first share after a start pays for
them once. ``normalise(text)`` lives in ``bot.screening.normalise`` (the package does not re-export
it: a function of the same name as a submodule would be replaced by the module on first import).
"""

from __future__ import annotations

import asyncio
import importlib
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

from bot.screening.model import (
    BURDEN,
    CATEGORIES,
    FAREWELL,
    GIVING_AWAY,
    MEANS_OR_PLAN,
    PASSIVE_IDEATION,
    SELF_HARM,
    SUICIDAL_IDEATION,
    WARNING_SIGNS,
    Screening,
)


def _engine() -> ModuleType:
    return importlib.import_module("bot.screening.engine")


def screen(text: str) -> Screening:
    """Screen one share for crisis language and warning signs (see bot.screening.engine.screen)."""
    result: Screening = _engine().screen(text)
    return result


# One thread, not the default pool: each Hyperscan database has one scratch space (prefilter.py),
# so shares are screened one at a time, on this thread.
_SCREENER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kindred-screening")


async def screen_aside(text: str) -> Screening:
    """:func:`screen` on kindred's screening thread, so the event loop never waits on it.

    A screen takes a millisecond or two, but the first after a start imports the rules, runs every
    pattern unfiltered while the prefilter is built, and loads the word model: seconds on a slow
    host. On the event loop that would hold every other interaction past Discord's 3 s.
    """
    return await asyncio.get_running_loop().run_in_executor(_SCREENER, screen, text)


def explain(text: str) -> tuple[str, ...]:
    """Return the ids of the rules that fired (fixed ids, never share text)."""
    result: tuple[str, ...] = _engine().explain(text)
    return result


def warm_up() -> None:
    """Load the rules and build the prefilters now."""
    _engine().warm_up()


__all__ = [
    "BURDEN",
    "CATEGORIES",
    "FAREWELL",
    "GIVING_AWAY",
    "MEANS_OR_PLAN",
    "PASSIVE_IDEATION",
    "SELF_HARM",
    "SUICIDAL_IDEATION",
    "WARNING_SIGNS",
    "Screening",
    "explain",
    "screen",
    "screen_aside",
    "warm_up",
]
