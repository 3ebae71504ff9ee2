"""The default knowledge base: the package's data files, plus PETRARCH dictionaries if given.

``kb`` defines the knowledge base and reads the package's own files; ``petrarch`` reads
PETRARCH/Phoenix dictionaries into one. This module puts the two together, so neither imports
the other.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .. import nlp
from .kb import KnowledgeBase, load_default
from .petrarch import load_actors, load_agents


@functools.cache
def default_knowledge(model: str | None = None,
                      dictionaries: tuple[str, ...] = ()) -> KnowledgeBase:
    """The knowledge base of the package's data files, extended with PETRARCH dictionaries
    (files whose name contains "agents" are read as agent dictionaries), tokenised by the spaCy
    pipeline in use. Built once per process for each set of arguments."""
    tokenizer = nlp.load(model).tokenizer

    def tokenize(text: str) -> list[str]:
        return [t.text for t in tokenizer(text) if not t.is_space]

    kb = load_default(tokenize)
    for path in dictionaries:
        if "agent" in Path(path).name.lower():
            load_agents(kb, Path(path), tokenize)
        else:
            load_actors(kb, Path(path), tokenize)
    return kb
