"""Claims: who asserts an event, who denies it, who confirms it.

    rules = knowledge.speech_rules                     # a newsledger.knowledge.Knowledge
    sources = attribution(trigger, actors, rules)     # who says the event happened
    builder = ClaimBuilder(rules, lexicon)             # per article
"""

from __future__ import annotations

from ..context.modality import ModalityRules
from .attribution import Source, attribution
from .rules import SpeechRules


def speech_rules() -> SpeechRules:
    """The speech rules of the default ``Knowledge`` (``data/claims/speech.yaml`` with the
    folders of ``$NEWSLEDGER_DATA``); a ``Pipeline`` uses its own ``Knowledge.speech_rules``."""
    from ..knowledge import default

    return default().speech_rules


def modality_rules() -> ModalityRules:
    """The modality rules of the default ``Knowledge`` (see ``speech_rules``)."""
    from ..knowledge import default

    return default().modality_rules


from .build import ClaimBuilder  # noqa: E402  (uses the rules above)

__all__ = ["ClaimBuilder", "Source", "SpeechRules", "attribution", "modality_rules",
           "speech_rules"]
