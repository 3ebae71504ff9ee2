"""A sentence classifier for event classes, where the lexicon abstains or is unsure.

Word unigrams and bigrams are hashed (scikit-learn's ``HashingVectorizer``, stateless and stable
across versions), weighted by TF-IDF and scored by a multinomial logistic regression. The model
ships as ``data/events/classifier.npz``: for each head, the hash columns seen in training with
their IDF and weights, so inference needs numpy alone. It is rebuilt by
``scripts/train_classifier.py`` from training data only.

Two heads: ``pentacode`` (0 statement, 1 verbal cooperation, 2 material cooperation, 3 verbal
conflict, 4 material conflict) and ``plover`` (the 16 PLOVER 2.0 event types).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..resources import data_path

BITS = 18
PENTACODE_C = 20.0  # regularisation of the pentacode head (chosen by cross-validation)
NGRAMS = (1, 2)


def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(ngram_range=NGRAMS, n_features=2 ** BITS, alternate_sign=False,
                             norm=None, lowercase=True)


@dataclass(slots=True)
class Head:
    """One trained head: labels, the hash columns it uses, their IDF, weights and intercept."""

    labels: list[str]
    columns: np.ndarray  # int32, sorted
    idf: np.ndarray  # float32, per column
    default_idf: float  # IDF of a column never seen in training
    weights: np.ndarray  # float32, (columns, labels)
    intercept: np.ndarray  # float32, (labels,)

    def probabilities(self, counts) -> np.ndarray:
        """Class probabilities for rows of hashed counts (a sparse matrix)."""
        counts = counts.tocsr().astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)  # sublinear term frequency
        position = np.searchsorted(self.columns, counts.indices)
        position = np.minimum(position, len(self.columns) - 1)
        known = self.columns[position] == counts.indices
        idf = np.where(known, self.idf[position], self.default_idf)
        counts.data *= idf
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        scores = np.tile(self.intercept, (counts.shape[0], 1))
        for row in range(counts.shape[0]):
            start, end = counts.indptr[row], counts.indptr[row + 1]
            hits = known[start:end]
            if hits.any():
                values = counts.data[start:end][hits] / norms[row]
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
        probabilities = model.probabilities(_vectorizer().transform(list(texts)))
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
