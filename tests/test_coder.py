"""The learned event coder: each failure kind the rules made on unseen news, on sentences written
for these tests (none of them is in training/coder_cases.tsv), and the machinery behind it.

Each behaviour test asserts that the wrong event is absent and that the right one is present.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import numpy as np
import pytest

import newsledger
from newsledger.errors import ConfigError
from newsledger.events import learned
from newsledger.events.combine import Policy, decide
from newsledger.pipeline import Pipeline

CASES = Path(__file__).resolve().parent.parent / "training" / "coder_cases.tsv"


def events(text: str, coder: str = "model"):
    return newsledger.extract(text, "2025-03-04", coder=coder).events


def positive(found):
    return [e for e in found if e.polarity == "positive" and e.modality == "asserted"]


def roots(found) -> set[str]:
    return {e.cameo_root for e in found}


def test_test_sentences_are_not_training_sentences():
    with CASES.open(encoding="utf-8", newline="") as handle:
        trained = {row["text"].strip() for row in csv.DictReader(
            handle, delimiter="\t", quoting=csv.QUOTE_NONE)}
    mine = {s for group in (NON_POLITICAL, POLITICAL) for s, *_ in group} | set(REQUESTS)
    assert not mine & trained


# --- non-political senses of political verbs -----------------------------------------------

NON_POLITICAL = [
    ("Doctors in Lombardy battled a second wave of influenza through January.",),
    ("Pakistan crushed New Zealand by 84 runs in the second one-day international.",),
    ("In the season finale, the detective shoots the kidnapper on a rooftop in Lisbon.",),
    ("The choir asked God for strength at the Sunday service.",),
]


@pytest.mark.parametrize("sentence", [s for s, in NON_POLITICAL])
def test_non_political_sense_gives_no_event(sentence):
    found = events(sentence)
    assert not [e for e in found if e.cameo_root in {"17", "18", "19", "20", "10", "02"}]
    assert found == []


POLITICAL = [
    ("Russian forces shelled Ukrainian positions near Bakhmut overnight.", {"18", "19"},
     "RUS", "UKR"),
    ("The European Union imposed fresh sanctions on Belarus over the forced landing.", {"16"},
     "IGOEU", "BLR"),
]


@pytest.mark.parametrize("sentence, expected, source, target", POLITICAL)
def test_political_sense_is_coded_with_its_root_and_actors(sentence, expected, source, target):
    found = positive(events(sentence))
    right = [e for e in found if e.cameo_root in expected and e.source
             and e.source.code.startswith(source) and e.target
             and e.target.code.startswith(target)]
    assert right, [(e.cameo, e.source, e.target) for e in found]
    assert not [e for e in found if e.cameo_root in {"01", "04", "05", "06"}]


# --- requests, hypotheticals, denials -------------------------------------------------------

REQUESTS = {
    "Human Rights Watch urged Nigeria to free the detained protesters.": ("NGA", "17"),
    "The African Union called on Ethiopia to withdraw its troops from the border region.":
        ("ETH", "08"),
}


@pytest.mark.parametrize("sentence", sorted(REQUESTS))
def test_an_urged_act_is_a_request_not_the_act(sentence):
    asked, act_root = REQUESTS[sentence]
    found = events(sentence)
    # wrong: the act itself, done by the one asked
    assert not [e for e in positive(found) if e.source and e.source.code.startswith(asked)
                and e.cameo_root not in {"02", "10"}]
    # right: a request (02 or 10) by the one who urges, of the one asked
    requests = [e for e in positive(found) if e.cameo_root in {"02", "10"}]
    assert requests and any(e.target and e.target.code.startswith(asked) for e in requests)
    assert all(e.source is None or not e.source.code.startswith(asked) for e in requests)


def test_a_hypothetical_act_is_not_asserted():
    found = events("Japan would expel the Chinese ambassador if the drills continued.")
    assert not [e for e in positive(found) if e.cameo_root == "12" or e.cameo_root == "16"]
    assert not [e for e in found if e.modality == "asserted" and e.source
                and e.source.code.startswith("JPN") and e.cameo_root in {"12", "16", "17"}]


def test_a_denied_act_is_negative():
    found = events("Rwanda denied supplying weapons to the rebels in eastern Congo.")
    assert not [e for e in positive(found) if e.source and e.source.code.startswith("RWA")
                and e.cameo_root in {"07", "19", "18"}]
    denied = [e for e in found if e.polarity == "negative" and e.source
              and e.source.code.startswith("RWA")]
    assert denied


@pytest.mark.xfail(strict=True, reason="known model error: a negated criticism reads as a "
                   "rejection (12), which then overrides the lexicon's negated 111")
def test_a_negated_act_keeps_its_root():
    found = events("Japan did not criticise China.")
    assert not [e for e in found if e.cameo_root == "12"]
    assert [e for e in found if e.cameo_root == "11" and e.polarity == "negative"]


# --- targets and roots ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, source, target", [
    ("Turkish President Recep Tayyip Erdogan met Hungarian Prime Minister Viktor Orban in "
     "Ankara on Tuesday.", "TUR", "HUN"),
    ("Kenyan police fired tear gas at opposition supporters in Nairobi.", "KEN", "KEN"),
])
def test_the_target_the_sentence_names_is_found(sentence, source, target):
    found = positive(events(sentence))
    assert found
    main = found[0]
    assert main.source and main.source.code.startswith(source)
    assert main.target is not None and main.target.code.startswith(target)


def test_the_root_is_the_act_not_a_word_in_it():
    # "talks" is not a consultation here: the act is an attack on the talks' venue
    found = positive(events("Militants attacked the hotel hosting peace talks in Mogadishu."))
    assert {"18", "19"} & roots(found)
    assert not {"03", "04"} & roots(found)


# --- the machinery --------------------------------------------------------------------------

def test_unknown_coder_is_refused_with_the_choices():
    with pytest.raises(ConfigError, match="'neural' is not an event coder.*model, rules"):
        Pipeline(coder="neural")


def test_model_events_carry_provenance_and_a_probability():
    found = events("Egypt's foreign minister met his Qatari counterpart in Cairo on Sunday.")
    assert found
    for event in found:
        assert event.provenance in {"model", "both", "rule"}
        assert 0.0 <= event.confidence <= 1.0
    assert any(e.provenance in {"model", "both"} for e in found)


def test_rules_coder_uses_no_model():
    found = events("Egypt's foreign minister met his Qatari counterpart in Cairo on Sunday.",
                   coder="rules")
    assert found and {e.provenance for e in found} == {"rule"}


def test_shipped_model_matches_its_card():
    card = learned.Card.read(learned.MODEL_DIR / "coder.json")
    assert card.encoder_sha256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert 0.0 < card.event_threshold < 1.0
    size = (learned.MODEL_DIR / "coder.onnx").stat().st_size
    assert size <= 40 * 1024 * 1024


def test_incomplete_model_folder_is_a_clear_error(tmp_path):
    (tmp_path / "coder.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError, match="incomplete.*coder.onnx"):
        learned.SentenceModel(tmp_path)


def test_a_model_that_does_not_match_its_card_is_refused(tmp_path):
    for name in ("coder.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((learned.MODEL_DIR / name).read_bytes())
    damaged = bytearray((learned.MODEL_DIR / "coder.onnx").read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (tmp_path / "coder.onnx").write_bytes(bytes(damaged))
    with pytest.raises(ConfigError, match="does not match its card"):
        learned.SentenceModel(tmp_path)


def test_a_sentence_reads_the_same_alone_and_among_others():
    """Re-runs and Dask runs store the same events: a reading does not depend on the other
    sentences read with it (the int8 model's activation scales are per batch, so the default
    reads one sentence at a time)."""
    model = learned.load()
    texts = ["Iraq expelled the Turkish ambassador.", "It rained in Basra.",
             "Protesters blocked the main road to the airport in Dhaka on Monday morning."]
    together = model.read(texts)
    alone = [model.read([t])[0] for t in texts]
    for a, b in zip(together, alone):
        assert a.root == b.root
        assert a.event == b.event and a.roots == b.roots and a.spans == b.spans


def test_piece_tags_and_spans_round_trip():
    tok = learned.tokenizer(learned.MODEL_DIR / "tokenizer.json", 64)
    text = "The United States warned North Korea."
    encoding = tok.encode(text)
    spans = [("S", 0, 17), ("T", 25, 36)]
    tags = learned.piece_tags(encoding.offsets, encoding.special_tokens_mask, spans)
    probabilities = np.full((len(tags), len(learned.TAGS)), 1e-6)
    for i, tag in enumerate(tags):
        probabilities[i, tag if tag >= 0 else 0] = 1.0
    decoded = learned.decode_spans(text, encoding.offsets, encoding.special_tokens_mask,
                                   probabilities)
    assert [(s.role, text[s.start:s.end]) for s in decoded] == [("S", "The United States"),
                                                                ("T", "North Korea")]


def _reading(event: float, roots: dict[str, float], mood: str = "happened") -> learned.Reading:
    rest = (1.0 - sum(roots.values())) / (len(learned.ROOTS) - len(roots))
    realis = {m: (0.9 if m == mood else 0.1 / (len(learned.REALIS) - 1)) for m in learned.REALIS}
    return learned.Reading(event=event, roots={r: roots.get(r, rest) for r in learned.ROOTS},
                           plover={}, realis=realis)


@pytest.fixture(scope="module")
def parsed():
    """'The United States urged Iran to condemn the attack.': the rules' events, plus the act
    a careless coder would add (Iran condemning, 111)."""
    from newsledger import nlp
    from newsledger.events.extract import Found

    pipeline = Pipeline(coder="rules")
    doc = next(nlp.parse(["The United States urged Iran to condemn the attack."]))
    actors = pipeline.resolver().resolve(doc, None)
    sentence = next(iter(doc.sents))
    found = pipeline.lexicon_coder().sentence_events(sentence, actors)
    iran = [m for m in actors.at(4)]
    condemn = Found(code="111", trigger=doc[5], rule="test", sources=iran, targets=[])
    return sentence, actors, found, condemn


def test_decide_drops_everything_below_the_event_threshold(parsed):
    sentence, actors, found, condemn = parsed
    assert found  # the rules find something in this sentence
    reading = _reading(0.2, {"10": 0.9})
    assert decide([*found, condemn], reading, sentence, actors, Policy(0.5)) == []


def test_decide_keeps_the_request_and_drops_the_urged_act(parsed):
    sentence, actors, found, condemn = parsed
    assert condemn.sources and condemn.sources[0].actor.code == "IRN"
    kept = decide([copy.copy(f) for f in [*found, condemn]],
                  _reading(0.95, {"10": 0.6, "02": 0.3}, "requested"), sentence, actors,
                  Policy(0.5))
    assert not [item for item in kept if item.code.startswith("11")]
    assert [item for item in kept if item.code[:2] in {"02", "10"}]
    assert all(item.model_confidence is not None for item in kept)


def test_decide_drops_a_main_clause_root_the_model_contradicts(parsed):
    sentence, actors, found, _ = parsed
    kept = decide([copy.copy(f) for f in found], _reading(0.95, {"19": 0.97}), sentence, actors,
                  Policy(0.5, contradiction=0.9))
    assert not [item for item in kept if item.code[:2] == "02"]


def test_workers_after_the_model_was_used_do_not_hang(tmp_path):
    """A process that has read with the model holds onnxruntime's global state, which deadlocks
    in a forked child: its worker pools spawn instead. Run in a fresh interpreter, since the
    test process itself may or may not have built a session."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        (folder / f"{n}.txt").write_text(
            f"Police in Lagos arrested {n + 2} protesters on Monday. The government of Nigeria "
            f"condemned the protest number {n}.", encoding="utf-8")
    script = (
        "import sys, newsledger\n"
        "newsledger.extract('Egypt condemned the attack.')\n"  # the parent now has a session
        f"with newsledger.Ledger({str(tmp_path / 'l.db')!r}) as ledger:\n"
        f"    report = ledger.ingest([{str(folder)!r}], workers=2)\n"
        "    print(report.added, len(ledger.events(limit=1000)))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    added, events = map(int, done.stdout.split())
    assert added == 4 and events >= 4


MODEL_ONLY = [
    "Thousands of Polish farmers marched on parliament in Warsaw on Tuesday.",
    "Hungary's government froze the assets of an opposition foundation.",
    "Chinese coast guard vessels shadowed a Philippine supply boat near the shoal.",
    "The Kenyan opposition walked out of the budget debate in Nairobi.",
]


def test_the_model_s_own_events_are_kept_only_when_asked():
    """By default an event needs the lexicon's act (provenance rule or both); with
    model_events=True the model's own root-level events (rule "model") join them."""
    default = [e for s in MODEL_ONLY for e in newsledger.extract(s, "2025-03-04").events]
    asked = [e for s in MODEL_ONLY
             for e in newsledger.extract(s, "2025-03-04", model_events=True).events]
    assert not [e for e in default if e.provenance == "model"]
    model_only = [e for e in asked if e.provenance == "model"]
    assert model_only and all(e.rule == "model" and e.cameo.endswith("0") for e in model_only)
