"""A sentence classifier for event classes, where the lexicon abstains or is unsure.

Word unigrams and bigrams are hashed (scikit-learn's ``HashingVectorizer``, stateless and stable
across versions), weighted by TF-IDF and scored by a multinomial logistic regression. The model
ships as ``data/events/classifier.npz``: for each head, the hash columns seen in training with
their IDF and weights, so inference needs numpy alone: ``hash_counts`` computes the same hashed
counts as scikit-learn's vectorizer (MurmurHash3 of each word and word pair, as sklearn does) in
plain Python and numpy, and scikit-learn is imported only to train (``Head.fit``). It is rebuilt
by ``scripts/train_classifier.py`` from training data only.

Two heads: ``pentacode`` (0 statement, 1 verbal cooperation, 2 material cooperation, 3 verbal
conflict, 4 material conflict) and ``plover`` (the 16 PLOVER 2.0 event types).
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..resources import data_path

BITS = 18
PENTACODE_C = 20.0  # regularisation of the pentacode head (chosen by cross-validation)
NGRAMS = (1, 2)


TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def _vectorizer():
    """scikit-learn's vectorizer, for training only (inference uses ``hash_counts``)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(ngram_range=NGRAMS, n_features=2 ** BITS, alternate_sign=False,
                             norm=None, lowercase=True)


def murmurhash3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3 (x86, 32-bit) of ``data`` as a signed integer, as
    ``sklearn.utils.murmurhash3_32(data, seed)`` gives it."""
    c1, c2, mask = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = seed & mask
    length = len(data)
    tail = length - length % 4
    for (k,) in struct.iter_unpack("<I", data[:tail]):
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
        h = ((h << 13) | (h >> 19)) & mask
        h = (h * 5 + 0xE6546B64) & mask
    k = 0
    rest = data[tail:]
    for shift, byte in zip((0, 8, 16), rest):
        k |= byte << shift
    if rest:
        k = (k * c1) & mask
        k = ((k << 15) | (k >> 17)) & mask
        k = (k * c2) & mask
        h ^= k
    h ^= length
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & mask
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & mask
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


def murmurhash3_32_many(items: Sequence[bytes], seed: int = 0) -> np.ndarray:
    """``murmurhash3_32`` of each of ``items`` (int64 array of the signed values), computed
    with numpy over all items of the same length at once."""
    c1, c2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
    out = np.zeros(len(items), dtype=np.int64)
    by_length: dict[int, list[int]] = {}
    for index, data in enumerate(items):
        by_length.setdefault(len(data), []).append(index)
    with np.errstate(over="ignore"):
        for length, indices in by_length.items():
            full, tail = divmod(length, 4)
            raw = np.frombuffer(b"".join(items[i] for i in indices), dtype=np.uint8)
            raw = raw.reshape(len(indices), length)
            h = np.full(len(indices), seed, dtype=np.uint32)
            if full:
                blocks = raw[:, :4 * full].copy().view("<u4")
                for column in range(full):
                    k = blocks[:, column] * c1
                    k = (k << np.uint32(15)) | (k >> np.uint32(17))
                    h ^= k * c2
                    h = (h << np.uint32(13)) | (h >> np.uint32(19))
                    h = h * np.uint32(5) + np.uint32(0xE6546B64)
            if tail:
                k = np.zeros(len(indices), dtype=np.uint32)
                for offset in range(tail):
                    k |= raw[:, 4 * full + offset].astype(np.uint32) << np.uint32(8 * offset)
                k = k * c1
                k = (k << np.uint32(15)) | (k >> np.uint32(17))
                h ^= k * c2
            h ^= np.uint32(length & 0xFFFFFFFF)
            h ^= h >> np.uint32(16)
            h = h * np.uint32(0x85EBCA6B)
            h ^= h >> np.uint32(13)
            h = h * np.uint32(0xC2B2AE35)
            h ^= h >> np.uint32(16)
            out[indices] = h.view(np.int32)
    return out


_COLUMN_CACHE: dict[str, int] = {}
_COLUMN_CACHE_SIZE = 1 << 18


def _columns(features: Sequence[str]) -> list[int]:
    """The hash column of each feature, as the vectorizer computes it (``abs(h) % 2**BITS``,
    with sklearn's special case for the one hash whose ``abs`` overflows int32)."""
    missing = list(dict.fromkeys(f for f in features if f not in _COLUMN_CACHE))
    if missing:
        if len(_COLUMN_CACHE) + len(missing) > _COLUMN_CACHE_SIZE:
            _COLUMN_CACHE.clear()
        n_features = 2 ** BITS
        hashes = murmurhash3_32_many([f.encode("utf-8") for f in missing])
        columns = np.abs(hashes) % n_features
        columns[hashes == -(1 << 31)] = (2 ** 31 - 1 - (n_features - 1)) % n_features
        _COLUMN_CACHE.update(zip(missing, columns.tolist()))
    return [_COLUMN_CACHE[f] for f in features]


def _features(text: str) -> list[str]:
    """Word unigrams and bigrams of the lower-cased text, as the vectorizer makes them."""
    tokens = TOKEN.findall(text.lower())
    low, high = NGRAMS
    found = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        found += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return found


@dataclass(frozen=True, slots=True)
class HashedCounts:
    """Rows of hashed feature counts, in compressed-row form (as ``scipy.sparse.csr_matrix``
    holds them: ``indptr``, sorted ``indices`` per row, ``data``)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray


def hash_counts(texts: Sequence[str]) -> HashedCounts:
    """The hashed unigram and bigram counts of ``texts``: what ``_vectorizer().transform``
    gives, with numpy alone."""
    indptr, indices, data = [0], [], []
    per_text = [_features(text) for text in texts]
    columns = iter(_columns([feature for features in per_text for feature in features]))
    for features in per_text:
        counts: dict[int, int] = {}
        for _ in features:
            column = next(columns)
            counts[column] = counts.get(column, 0) + 1
        for column in sorted(counts):
            indices.append(column)
            data.append(counts[column])
        indptr.append(len(indices))
    return HashedCounts(np.array(indptr, dtype=np.int64), np.array(indices, dtype=np.int32),
                        np.array(data, dtype=np.float32))


@dataclass(slots=True)
class Head:
    """One trained head: labels, the hash columns it uses, their IDF, weights and intercept."""

    labels: list[str]
    columns: np.ndarray  # int32, sorted
    idf: np.ndarray  # float32, per column
    default_idf: float  # IDF of a column never seen in training
    weights: np.ndarray  # float32, (columns, labels)
    intercept: np.ndarray  # float32, (labels,)

    def probabilities(self, counts: HashedCounts) -> np.ndarray:
        """Class probabilities for rows of hashed counts (``hash_counts``, or a scipy sparse
        matrix from the training vectorizer)."""
        if hasattr(counts, "tocsr"):
            counts = counts.tocsr()
            counts.sort_indices()
        indptr, indices = counts.indptr, counts.indices
        data = 1.0 + np.log(counts.data.astype(np.float32))  # sublinear term frequency
        position = np.searchsorted(self.columns, indices)
        position = np.minimum(position, len(self.columns) - 1)
        known = self.columns[position] == indices
        idf = np.where(known, self.idf[position], self.default_idf)
        data *= idf
        squares = data * data
        rows = len(indptr) - 1
        # row sums as scipy's (``np.add.reduceat``): the same figures to the last bit
        norms = np.zeros(rows, dtype=np.float32)
        filled = indptr[:-1] < indptr[1:]
        if filled.any():
            norms[filled] = np.add.reduceat(squares, indptr[:-1][filled])
        norms = np.sqrt(norms)
        norms[norms == 0] = 1.0
        scores = np.tile(self.intercept, (rows, 1))
        for row in range(rows):
            start, end = indptr[row], indptr[row + 1]
            hits = known[start:end]
            if hits.any():
                values = data[start:end][hits] / norms[row]
                scores[row] += values @ self.weights[position[start:end][hits]]
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, c: float = 10.0,
            balanced: bool = False) -> Head:
        """Train a head; ``balanced`` weights classes inversely to their frequency (for skewed
        training labels)."""
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.linear_model import LogisticRegression

        counts = _vectorizer().transform(texts)
        tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
        model = LogisticRegression(C=c, max_iter=5000,
                                   class_weight="balanced" if balanced else None
                                   ).fit(tfidf.transform(counts), labels)
        used = np.unique(counts.indices).astype(np.int32)
        n = counts.shape[0]
        coef, intercept = model.coef_, model.intercept_
        if coef.shape[0] == 1:  # two classes: softmax over (-z/2, z/2) is the sigmoid of z
            coef = np.vstack([-coef / 2, coef / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        return cls(
            labels=[str(label) for label in model.classes_],
            columns=used,
            idf=tfidf.idf_[used].astype(np.float32),
            default_idf=float(np.log((1 + n) / 1) + 1),
            weights=coef[:, used].T.astype(np.float32),
            intercept=intercept.astype(np.float32),
        )


@dataclass(slots=True)
class SentenceClassifier:
    heads: dict[str, Head]

    def predict(self, head: str, texts: Sequence[str]) -> list[dict[str, float]]:
        """For each text, the probability of each label of ``head``."""
        model = self.heads[head]
        probabilities = model.probabilities(hash_counts(list(texts)))
        return [dict(zip(model.labels, row.tolist())) for row in probabilities]

    def save(self, path: Path) -> None:
        arrays = {}
        for name, head in self.heads.items():
            arrays[f"{name}.labels"] = np.array(head.labels)
            arrays[f"{name}.columns"] = head.columns
            arrays[f"{name}.idf"] = head.idf
            arrays[f"{name}.default_idf"] = np.array([head.default_idf], dtype=np.float32)
            arrays[f"{name}.weights"] = head.weights.astype(np.float16)
            arrays[f"{name}.intercept"] = head.intercept
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> SentenceClassifier:
        data = np.load(path, allow_pickle=False)
        names = sorted({key.split(".")[0] for key in data.files})
        return cls({name: Head(
            labels=[str(x) for x in data[f"{name}.labels"]],
            columns=data[f"{name}.columns"],
            idf=data[f"{name}.idf"],
            default_idf=float(data[f"{name}.default_idf"][0]),
            weights=data[f"{name}.weights"].astype(np.float32),
            intercept=data[f"{name}.intercept"],
        ) for name in names})


@functools.cache
def default_classifier() -> SentenceClassifier | None:
    path = data_path("events", "classifier.npz")
    return SentenceClassifier.load(path) if path.exists() else None


@functools.cache
def load_classifier(path: str) -> SentenceClassifier:
    return SentenceClassifier.load(Path(path))
