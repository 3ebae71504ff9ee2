"""The CAMEO ontology: every code with its name, root, quad class, Goldstein score and PLOVER
2.0 event, mode and context (``data/events/cameo.tsv``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..errors import ConfigError
from ..model import QuadClass
from ..resources import data_path, read_tsv

QUAD_CLASSES = {quad.value: quad.label for quad in QuadClass}

# The CAMEO code newsledger uses for an event whose PLOVER type comes from a model, not from a
# lexicon entry: the "not specified below" code of the root PLOVER's type belongs to.
PLOVER_DEFAULT_CODES = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
    "CONCEDE": "080", "RETREAT": "080", "REQUEST": "020", "ACCUSE": "110", "REJECT": "120",
    "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
    "ASSAULT": "190",
}


@dataclass(frozen=True, slots=True)
class Code:
    """One CAMEO code."""

    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float
    plover_event: str | None
    plover_mode: str | None
    plover_context: str | None

    @property
    def pentacode(self) -> int:
        """The five-class scheme of the ConfliBERT data: 0 public statement (01), then the four
        quad classes."""
        return 0 if self.root == "01" else self.quad_class


class Ontology:
    def __init__(self, codes: list[Code]) -> None:
        self.codes = {code.code: code for code in codes}

    def __getitem__(self, code: str) -> Code:
        try:
            return self.codes[code]
        except KeyError:
            raise ConfigError(f"unknown CAMEO code '{code}'") from None

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def for_plover(self, event: str) -> Code:
        """The default CAMEO code of a PLOVER event type."""
        return self[PLOVER_DEFAULT_CODES[event]]


def pentacode_of(code: str) -> int:
    """The five-class scheme of a CAMEO code (0 statement, then the quad class)."""
    return ontology()[code].pentacode


@functools.cache
def ontology() -> Ontology:
    rows = read_tsv(data_path("events", "cameo.tsv"))
    return Ontology([
        Code(code=row["code"], name=row["name"], root=row["root"],
             quad_class=int(row["quad_class"]), goldstein=float(row["goldstein"]),
             plover_event=row["plover_event"] or None, plover_mode=row["plover_mode"] or None,
             plover_context=row["plover_context"] or None)
        for row in rows
    ])
