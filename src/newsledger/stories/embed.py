"""What an article and its events mean, as unit vectors from a sentence encoder.

The encoder is all-MiniLM-L6-v2, untuned (sentence-similarity pretraining is what it was made
for), exported by ``scripts/export_embedder.py`` with mean pooling and L2 normalisation inside
the graph and int8 weights, shipped in ``data/models/embedder/`` with its tokenizer and a card
whose sha256 the model is checked against when loaded. Inference needs onnxruntime, tokenizers
and numpy, no torch. The model is loaded once per process (``load``) and its session built in
the process that first runs it (``onnx_runtime.session``, which marks the process fork-unsafe).

Each text is run alone: int8 dynamic quantisation scales activations over the whole batch, so
the vector of a text must not depend on what it was batched with. The same text always gives
the same vector.

An article's vector (``article_vector``) reads its title, its lead (first sentences) and the
sentences that hold its events, in one run of at most 256 word pieces; an event's vector is its
sentence's.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..model import Analysis, Article
from ..onnx_runtime import session as new_session
from ..onnx_runtime import sha256

MODEL_DIR = Path(__file__).resolve().parent.parent / "data" / "models" / "embedder"
FILES = ("embedder.onnx", "tokenizer.json", "embedder.json")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder:
    """The sentence encoder of ``folder``: ``embed(texts)`` → one unit vector per text."""

    def __init__(self, folder: Path = MODEL_DIR, *, max_length: int | None = None,
                 threads: int | None = None) -> None:
        missing = [name for name in FILES if not (folder / name).is_file()]
        if missing:
            raise ConfigError(f"{folder}: the story embedder is incomplete (missing "
                              f"{', '.join(missing)}); reinstall newsledger or rebuild it with "
                              "scripts/export_embedder.py")
        try:
            import onnxruntime  # noqa: F401
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ConfigError("the story embedder needs onnxruntime and tokenizers "
                              "(pip install onnxruntime tokenizers)") from error
        self.path = folder / "embedder.onnx"
        self.card = json.loads((folder / "embedder.json").read_text(encoding="utf-8"))
        if sha256(self.path) != self.card.get("sha256"):
            raise ConfigError(f"{self.path}: the story embedder does not match its card "
                              f"(embedder.json gives sha256 {str(self.card.get('sha256'))[:12]}…);"
                              " reinstall newsledger or rebuild it with scripts/export_embedder.py")
        self.dimensions = int(self.card["dimensions"])
        self.name = f"all-MiniLM-L6-v2 int8 {self.card['sha256'][:12]}"
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_length or int(self.card["max_length"]))
        self.threads = threads
        self._session: Any = None
        self._pid = -1

    @property
    def session(self) -> Any:
        """This process's onnxruntime session (built on first use in each process)."""
        if self._session is None or self._pid != os.getpid():
            self._session = new_session(self.path, self.threads)
            self._pid = os.getpid()
        return self._session

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One float32 unit vector per text (shape ``len(texts) × dimensions``); an empty
        text gives the zero vector."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            if not text.strip():
                continue
            encoding = self.tokenizer.encode(text)
            ids = np.array([encoding.ids], dtype=np.int64)
            mask = np.array([encoding.attention_mask], dtype=np.int64)
            out[row] = self.session.run(["embedding"], {"input_ids": ids,
                                                        "attention_mask": mask})[0][0]
        return out


@functools.cache
def load(folder: str | None = None) -> Embedder:
    """The embedder in ``folder`` (the shipped one by default), loaded once per process."""
    return Embedder(Path(folder) if folder else MODEL_DIR)


def unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)


def article_text(article: Article, analysis: Analysis | None, lead_sentences: int,
                 event_sentences: int) -> str:
    """What the article's vector reads: its title, its first ``lead_sentences`` sentences, and
    up to ``event_sentences`` more sentences that hold its reported events."""
    text = article.text
    title = (article.title or "").strip()
    parts = [title] if title else []
    if analysis is None or not analysis.sentences:
        return " ".join([*parts, text[:600]])
    lead = analysis.sentences[:lead_sentences]
    parts += [text[s.start:s.end].strip() for s in lead]
    covered = lead[-1].end if lead else 0
    extra: dict[str, None] = {}
    for event in analysis.events:
        if len(extra) >= event_sentences:
            break
        if (event.polarity == "positive" and event.sentence_start >= covered
                and event.sentence_text.strip()):
            extra.setdefault(event.sentence_text.strip(), None)
    return " ".join([*parts, *extra])


def article_vector(embedder: Embedder, article: Article, analysis: Analysis | None,
                   lead_sentences: int, event_sentences: int) -> np.ndarray:
    """The article's vector: one run of the encoder over ``article_text``."""
    return embedder.embed([article_text(article, analysis, lead_sentences,
                                        event_sentences)])[0]


def pack(vector: np.ndarray) -> bytes:
    """A vector as stored (float32, little endian)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").copy()
