"""Crisis-language screening for anonymous shares: deterministic rules, no model, no network.

A share is *flagged* when it carries first-person crisis language or a warning sign: a wish
or intent to die, passive wishes not to exist, feeling a burden, self-harm, looking for means
or a plan, a final goodbye, giving possessions away. Flagged shares are held for moderator
review and the author is shown crisis lines. This is a screening aid, not a diagnosis.

The package: ``normalise`` (one pass over mixed-script text), ``en_rules`` and ``zh_rules``
(readable rule tables; pinyin forms generated from the Chinese cues), ``engine`` (matching).
``screen(text) -> Screening(flagged, categories)`` is a contract outside evaluations call.
``explain`` returns the ids of the rules that fired, for moderators and tests.

Known decisions: "kys" / "kill yourself" on its own is abuse aimed at someone else, not the
author's own crisis, so it is not flagged ("I'm about to kys" is). Joking hyperbole with
crisis words ("不想活了，loss 又炸了哈哈", "lol kms") is still flagged on purpose: people often
mask a real crisis with "lol".
"""

from bot.screening.engine import explain, screen, warm_up
from bot.screening.model import (
    BURDEN,
    CATEGORIES,
    FAREWELL,
    GIVING_AWAY,
    MEANS_OR_PLAN,
    PASSIVE_IDEATION,
    SELF_HARM,
    SUICIDAL_IDEATION,
    Screening,
)
from bot.screening.normalise import normalise

__all__ = [
    "BURDEN",
    "CATEGORIES",
    "FAREWELL",
    "GIVING_AWAY",
    "MEANS_OR_PLAN",
    "PASSIVE_IDEATION",
    "SELF_HARM",
    "SUICIDAL_IDEATION",
    "Screening",
    "explain",
    "normalise",
    "screen",
    "warm_up",
]
