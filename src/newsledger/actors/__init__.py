"""Actors: resolve every mention in a parsed article to a coded actor.

    resolver = Resolver(default_knowledge())
    actors = resolver.resolve(doc, day)        # ActorMap: token index of a phrase head → mentions
"""

from .default import default_knowledge
from .kb import Agent, Entry, KnowledgeBase, Role, load_default
from ..model import Actor, Mention
from .codes import ActorCode, compose, split_code
from .mentions import ActorMap
from .resolve import Resolver

__all__ = ["Actor", "ActorCode", "ActorMap", "Agent", "Entry", "KnowledgeBase", "Mention",
           "Resolver", "Role", "compose", "default_knowledge", "load_default", "split_code"]
