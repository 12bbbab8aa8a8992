"""A keyword intent classifier for a bank's help chat.

Each intent has a list of cue words; a message gets the intent whose cues it
mentions most (ties go to the intent listed first); none at all is ``other``.
"""

from __future__ import annotations

CUES = {
    "balance": ["balance", "money", "left", "account", "statement"],
    "transfer": ["transfer", "send", "wire", "pay", "payment"],
    "lost_card": ["lost", "stolen", "card", "missing", "block"],
    "password": ["password", "login", "reset", "locked", "pin"],
    "hours": ["open", "hours", "close", "branch", "weekend"],
}
CUE_WEIGHT = 1.0
FIRST_WORD_BONUS = 0.0


def _words(text: str) -> list[str]:
    return text.lower().split()


def classify(text: str) -> str:
    """The intent of ``text``: one of :data:`CUES`, or ``other``."""
    words = _words(text)
    best, best_score = "other", 0.0
    for intent, cues in CUES.items():
        score = sum(CUE_WEIGHT for w in words if w in cues)
        if words and words[0] in cues:
            score += FIRST_WORD_BONUS
        if score > best_score:
            best, best_score = intent, score
    return best
