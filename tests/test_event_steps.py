"""The named steps of event extraction, actor resolution and the model/lexicon decision, each on
a short sentence written for it: what the step gives, and that the wrong reading is absent.

The rule coder (the lexicon) is used throughout; no test pins what the learned model codes."""

from __future__ import annotations

import pytest

from newsledger import nlp
from newsledger.events.extract import Cues, Extractor
from newsledger.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(coder="rules")


@pytest.fixture(scope="module")
def coder(pipeline) -> Extractor:
    return pipeline.lexicon_coder()


@pytest.fixture(scope="module")
def parse(pipeline):
    """``parse(text)`` → (doc, actors): the text parsed and its actors resolved (undated)."""
    resolver = pipeline.resolver()

    def parse_(text: str):
        doc = next(nlp.parse([text]))
        return doc, resolver.resolve(doc, None)

    return parse_


def word(doc, text: str, occurrence: int = 0):
    """The token ``text`` of ``doc`` (its ``occurrence``-th appearance)."""
    return [t for t in doc if t.text == text][occurrence]


def codes(mentions) -> set[str]:
    return {m.actor.code for m in mentions}


def events(coder, doc, actors):
    return [f for sentence in doc.sents for f in coder.sentence_events(sentence, actors)]


# -- cue words (data/events/*.txt) ---------------------------------------------------------------


def test_cues_load_the_package_word_lists():
    cues = Cues.load()
    assert {"not", "n't", "never", "no"} <= cues.negations
    assert "said" not in cues.negations
    assert cues.target_prepositions[:3] == ("against", "at", "on")  # tried in the file's order
    assert "of" not in cues.target_prepositions  # "of" gives a target only after a named doer


def test_a_user_folder_adds_words_to_the_cues(tmp_path):
    (tmp_path / "negations.txt").write_text("# mine\nHardly\n\nnot\n", encoding="utf-8")
    cues = Cues.load(extra=[tmp_path])
    assert "hardly" in cues.negations  # lower-cased
    assert {"not", "never"} <= cues.negations  # the package's stay
    assert cues.target_prepositions == Cues.load().target_prepositions  # no file: unchanged
    assert "# mine" not in cues.negations


def test_a_users_negation_negates_the_event(coder, parse):
    doc, actors = parse("Egypt hardly condemned Israel.")
    condemned = word(doc, "condemned")
    assert not coder._negated(condemned)
    mine = Extractor(coder.lexicon, coder.frames,
                     Cues(negations=coder.cues.negations | {"hardly"},
                          target_prepositions=coder.cues.target_prepositions))
    assert mine._negated(condemned)
    found = events(mine, doc, actors)
    assert found and all(f.negated for f in found if f.trigger.i == condemned.i)


def test_negation_on_the_frame_negates_the_governed_verb(coder, parse):
    doc, _ = parse("Russia did not agree to provide weapons.")
    assert coder._negated(word(doc, "provide"))
    doc, _ = parse("Russia agreed to provide weapons.")
    assert not coder._negated(word(doc, "provide"))


# -- the verb's code -----------------------------------------------------------------------------


def test_code_verb_takes_a_light_verbs_code_from_its_object_noun(coder, parse):
    doc, _ = parse("Iraqi troops launched an attack on the base.")
    launched, attack = word(doc, "launched"), word(doc, "attack")
    covered: set[int] = set()
    coding = coder._code_verb(launched, covered)
    assert coding is not None and coding.via == "light"
    assert coding.code == coder.lexicon.match_noun(attack).code
    assert coding.rule.startswith("verb:launch + ") and coding.noun_pattern is not None
    assert coding.direct.i == attack.i and not coding.passive
    assert covered == {attack.i}  # the noun is not coded again as an event of its own


def test_code_verb_uses_the_verbs_own_pattern(coder, parse):
    doc, _ = parse("Egypt condemned Israel.")
    covered: set[int] = set()
    coding = coder._code_verb(word(doc, "condemned"), covered)
    assert coding is not None and coding.via == "lexicon" and coding.rule == "verb:condemn"
    assert coding.noun_pattern is None and covered == set()


def test_code_verb_gives_nothing_for_a_verb_the_lexicon_does_not_know(coder, parse):
    doc, _ = parse("The minister walked home.")
    assert coder._code_verb(word(doc, "walked"), set()) is None


def test_direct_object_of_a_passive_and_of_coordinated_verbs(coder, parse):
    from newsledger.events.extract import _direct_object

    doc, _ = parse("Russia shelled and bombed Kharkiv.")
    assert _direct_object(word(doc, "shelled"), False).text == "Kharkiv"  # shared
    doc, _ = parse("Kyiv was attacked by Russia.")
    assert _direct_object(word(doc, "attacked"), True).text == "Kyiv"  # not "Russia"


# -- frames ---------------------------------------------------------------------------------------


def test_coded_frame_complement(coder, parse):
    doc, _ = parse("France urged Iran to negotiate.")
    assert coder._coded_frame_complement(word(doc, "urged")).text == "negotiate"
    assert coder._coded_frame_complement(word(doc, "negotiate")) is None
    # "want" is coded only when someone else is to act
    doc, _ = parse("France wants Iran to attack Israel.")
    assert coder._coded_frame_complement(word(doc, "wants")).text == "attack"
    doc, _ = parse("France wants to attack Israel.")
    assert coder._coded_frame_complement(word(doc, "wants")) is None


def test_an_appeal_is_the_frame_verbs_event_towards_the_asked(coder, parse):
    doc, actors = parse("France urged Iran to negotiate.")
    found = events(coder, doc, actors)
    assert [f.trigger.text for f in found] == ["urged"]
    appeal = found[0]
    assert appeal.via == "frame" and appeal.rule.startswith("frame:urge + ")
    assert codes(appeal.sources) == {"FRA"} and codes(appeal.targets) == {"IRN"}
    assert not [f for f in found if "IRN" in codes(f.sources)]  # Iran's talks did not happen


def test_a_wanted_act_by_oneself_is_not_an_appeal(coder, parse):
    doc, actors = parse("France wants to attack Israel.")
    found = events(coder, doc, actors)
    assert found and all(f.via != "frame" and f.trigger.text == "attack" for f in found)
    assert all(codes(f.targets) == {"ISR"} for f in found)


def test_a_negated_future_act_is_a_refusal(coder, parse):
    doc, actors = parse("Russia would not provide support to Syria.")
    found = events(coder, doc, actors)
    assert len(found) == 1
    refusal = found[0]
    assert refusal.rule.startswith("refusal + ") and refusal.via == "frame"
    assert refusal.code[:2] == "12" and not refusal.negated  # a refusal happened
    assert codes(refusal.sources) == {"RUS"} and codes(refusal.targets) == {"SYR"}


def test_an_announced_act_is_a_commitment(coder, parse):
    doc, actors = parse("Egypt said it would recognise Israel.")
    found = [f for f in events(coder, doc, actors) if f.trigger.text == "recognise"]
    assert len(found) == 1 and found[0].rule.startswith("announced + ")
    assert found[0].code[:2] == "03" and found[0].via == "frame"
    doc, actors = parse("Egypt recognised Israel.")
    plain = events(coder, doc, actors)
    assert plain and all(not f.rule.startswith("announced") and f.via != "frame" for f in plain)


def test_sourceless_conflict_needs_an_instrument_or_a_passive(coder, parse):
    doc, actors = parse("Three soldiers were killed by a roadside bomb.")
    found = events(coder, doc, actors)
    assert len(found) == 1 and not found[0].sources and found[0].targets
    assert coder._sourceless(found[0], word(doc, "killed"), True)
    doc, actors = parse("The hurricane killed three soldiers.")
    assert events(coder, doc, actors) == []  # a hurricane is not a doer nor an instrument


# -- sources --------------------------------------------------------------------------------------


def test_agent_and_instrument_sources_of_a_passive(coder, parse):
    doc, actors = parse("Kyiv was attacked by Russia.")
    attacked = word(doc, "attacked")
    assert codes(coder._agent_sources(attacked, actors)) == {"RUS"}
    assert codes(coder._sources(attacked, actors, True)) == {"RUS"}
    doc, actors = parse("Two civilians were killed in Israeli shelling.")
    killed = word(doc, "killed")
    assert coder._agent_sources(killed, actors) == []  # no "by X"
    assert codes(coder._instrument_sources(killed, actors)) == {"ISR"}


def test_inherited_sources_of_a_coordinated_verb(coder, parse):
    doc, actors = parse("Russia shelled and bombed Kharkiv.")
    assert codes(coder._inherited_sources(word(doc, "bombed"), actors)) == {"RUS"}
    assert "UKR" not in codes(coder._sources(word(doc, "bombed"), actors, False))


def test_complement_sources_from_the_subject_or_the_asked_object(coder, parse):
    doc, actors = parse("Iran agreed to attack Israel.")
    assert codes(coder._complement_sources(word(doc, "attack"), actors)) == {"IRN"}
    doc, actors = parse("France urged Iran to attack Israel.")
    assert codes(coder._complement_sources(word(doc, "attack"), actors)) == {"IRN"}  # not FRA


def test_prepositional_clause_sources(coder, parse):
    doc, actors = parse("Ukraine accused Russia of shelling Kharkiv.")
    assert codes(coder._prepositional_clause_sources(word(doc, "shelling"), actors)) == {"RUS"}
    assert "UKR" not in codes(coder._sources(word(doc, "shelling"), actors, False))
    doc, actors = parse("Ukraine praised Britain for helping Kyiv.")
    assert codes(coder._prepositional_clause_sources(word(doc, "helping"), actors)) == {"GBR"}
    doc, actors = parse("Russia denied shelling Kharkiv.")  # no object: the subject did it
    assert codes(coder._sources(word(doc, "shelling"), actors, False)) == {"RUS"}


# -- targets --------------------------------------------------------------------------------------


def test_acted_on_another_countrys_actor_is_a_target(coder, parse):
    doc, actors = parse("Britain expelled the Russian ambassador.")
    expelled = word(doc, "expelled")
    sources = coder._sources(expelled, actors, False)
    found, fallback = coder._acted_on(expelled, actors, False, word(doc, "ambassador"), None,
                                      True, sources)
    assert codes(found) == {"RUSGOV"} and fallback == []


def test_own_forces_sent_are_not_a_target(coder, parse):
    doc, actors = parse("Britain sent 10,000 soldiers.")
    sent = word(doc, "sent")
    sources = coder._sources(sent, actors, False)
    found, fallback = coder._acted_on(sent, actors, False, word(doc, "soldiers"), None, True,
                                      sources)
    assert found == [] and fallback == []
    assert all(not f.targets for f in events(coder, doc, actors))


def test_dative_and_prepositional_targets(coder, parse):
    doc, actors = parse("Russia sold weapons to Syria.")
    sold = word(doc, "sold")
    assert codes(coder._dative_targets(sold, actors)) == {"SYR"}
    doc, actors = parse("Iran fired missiles at Israel.")
    fired = word(doc, "fired")
    assert coder._dative_targets(fired, actors) == []
    targets = coder._prepositional_targets(fired, actors, None, word(doc, "missiles"))
    assert codes(targets) == {"ISR"}
    no_prepositions = Extractor(coder.lexicon, coder.frames,
                                Cues(negations=coder.cues.negations, target_prepositions=()))
    assert no_prepositions._prepositional_targets(fired, actors, None, word(doc, "missiles")) == []


def test_purpose_clause_gives_the_beneficiary(coder, parse):
    doc, actors = parse("North Korea sent soldiers to assist Russia.")
    sent = word(doc, "sent")
    assert codes(coder._purpose_targets(sent, actors)) == {"RUS"}
    found = events(coder, doc, actors)
    assert found and all(codes(f.targets) == {"RUS"} and "PRK" not in codes(f.targets)
                         for f in found)
