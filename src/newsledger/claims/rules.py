"""The speech rules of claims: reporting verbs, denial and confirmation verbs, claim nouns.

``claims.speech_rules()`` reads them from ``data/claims/speech.yaml``; ``attribution`` and
``build`` take them as an argument and import only this type.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SpeechRules:
    reporting: frozenset[str]
    statement_nouns: frozenset[str]
    denial_verbs: frozenset[str]
    confirmation_verbs: frozenset[str]
    claim_nouns: frozenset[str]
    statement_code: str
    accusation_code: str
    responsibility_code: str
    responsibility_verbs: frozenset[str]
