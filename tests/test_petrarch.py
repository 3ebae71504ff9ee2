"""PETRARCH/Phoenix dictionaries as an extra actor source: the format, dated roles, agents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsledger import nlp
from newsledger.actors import Resolver, default_knowledge
from newsledger.actors.kb import KnowledgeBase, simple_tokenizer
from newsledger.actors.petrarch import load_actors, load_agents

ACTORS = """\
<!-- a test dictionary
     spread over lines -->
ELBONIA_  [ELB]   # a country
+ELBONIAN_
FREEDONI  [FRD]   # a stem: Freedonia, Freedonian
BOB_SMITH_
+ROBERT_SMITH_
	[ELBGOV 950101-991231]
	[ELBELI >000101]
	[ELB]
GRAND_DUCHY_OF_KLOP_ [KLP/DCH]
NOBODY_ [---]
"""

AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
HARBOUR_MASTER [~BUS]
CONGRESS!PERSON! [~LEG]
RELIEF_CHARITY {} [NGO~]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~JUD]
"""


@pytest.fixture
def dictionaries(tmp_path: Path) -> tuple[str, str]:
    actors, agents = tmp_path / "test.actors.txt", tmp_path / "test.agents.txt"
    actors.write_text(ACTORS)
    agents.write_text(AGENTS)
    return str(actors), str(agents)


def test_actor_file_is_read_with_synonyms_dates_and_defaults(dictionaries):
    kb = KnowledgeBase()
    assert load_actors(kb, Path(dictionaries[0]), simple_tokenizer) == 4
    smith = next(e for e in kb.entries if e.name == "Bob Smith")
    assert smith.role_on(dt.date(1997, 5, 1)).code == "ELBGOV"
    assert smith.role_on(dt.date(2010, 5, 1)).code == "ELBELI"
    assert smith.role_on(dt.date(1990, 5, 1)).code == "ELB"
    assert smith.priority == 1


def test_agents_file_with_sets_plurals_and_prefixes(dictionaries):
    kb = KnowledgeBase()
    load_agents(kb, Path(dictionaries[1]), simple_tokenizer)
    assert kb.agents.longest(["congresswomen"], 0)[1][0].sector == "LEG"
    assert kb.agents.longest(["harbour", "masters"], 0)[1][0].sector == "BUS"
    assert kb.agents.longest(["attorneys", "general"], 0)[1][0].sector == "JUD"
    charity = kb.agents.longest(["relief", "charity"], 0)[1][0]
    assert charity.prefix and charity.sector == "NGO"
    assert kb.agents.longest(["relief", "charities"], 0)[1] == []  # {} means no plural


@pytest.mark.parametrize("text, day, expected", [
    ("Elbonia closed its border.", None, {"ELB"}),
    ("Elbonian harbour masters went on strike.", None, {"ELBBUS"}),
    ("Freedonian officials protested.", None, {"FRDGOV"}),
    ("Robert Smith met the envoy.", "1997-05-01", {"ELBGOV"}),
    ("Robert Smith met the envoy.", "2010-05-01", {"ELBELI"}),
    ("The Grand Duchy of Klop objected.", None, {"KLP", "DCH"}),
    ("An Elbonian relief charity delivered food.", None, {"NGOELB"}),
])
def test_dictionary_actors_resolve_in_text(dictionaries, text, day, expected):
    resolver = Resolver(default_knowledge(None, dictionaries))
    doc = next(nlp.parse([text]))
    found = resolver.resolve(doc, dt.date.fromisoformat(day) if day else None)
    assert expected <= {m.actor.code for m in found.mentions()}


def test_a_bad_date_is_skipped_with_a_warning_naming_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.actors.txt"
    path.write_text("SOMEONE_\n\t[XYZGOV 951301-960101]\n\t[XYZ]\nOTHER_ [OTH]\n")
    kb = KnowledgeBase()
    assert load_actors(kb, path, simple_tokenizer) == 2
    [warning] = kb.warnings
    assert "bad.actors.txt:2" in warning and "951301" in warning
    assert kb.entries[0].role_on(dt.date(1995, 6, 1)).code == "XYZ"


def test_user_dictionary_wins_over_package_data(tmp_path: Path):
    path = tmp_path / "override.actors.txt"
    path.write_text("SEOUL_ [KORCAP]\n")
    resolver = Resolver(default_knowledge(None, (str(path),)))
    doc = next(nlp.parse(["Seoul protested."]))
    assert {m.actor.code for m in resolver.resolve(doc).mentions()} == {"KORCAP"}


def test_petrarch_unittest_actors_resolve(tmp_path: Path):
    """PETRARCH's own fictional test dictionaries: how many sentences' expected codes appear."""
    from shared_data import shared_path

    from newsledger.evaluate.actors import petrarch_unittest_actors
    from newsledger.pipeline import Pipeline

    score = petrarch_unittest_actors(shared_path("data", "gold"), Pipeline(coder="rules"))
    # scored on the dev split: about a fifth of the 256 sentences with expected codes
    assert 0.15 * 256 <= score.counts["sentences"] <= 0.25 * 256
    assert "dev split" in score.gold
    assert score.figures["coverage"] >= 0.8
