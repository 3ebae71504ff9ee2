"""The default knowledge base: that of the default ``Knowledge`` (``newsledger.knowledge``).

``kb`` defines the knowledge base and reads the package's own files; ``petrarch`` reads
PETRARCH/Phoenix dictionaries into one; ``newsledger.knowledge`` puts the two together, with a
user's folders, once per ``Knowledge``.
"""

from __future__ import annotations

from .kb import KnowledgeBase


def default_knowledge(model: str | None = None,
                      dictionaries: tuple[str, ...] = ()) -> KnowledgeBase:
    """The knowledge base of the default ``Knowledge`` (the package's data files and the
    folders of ``$NEWSLEDGER_DATA``), extended with PETRARCH dictionaries (files whose name
    contains "agents" are read as agent dictionaries), tokenised by the spaCy pipeline in use.
    Built once per set of arguments by that ``Knowledge`` (``Knowledge.knowledge_base``)."""
    from ..knowledge import default

    return default().knowledge_base(model, dictionaries)
