"""Fit the event confidence model and the rules/classifier decision threshold.

    python scripts/fit_confidence.py [--shared ../shared]

On the training part of the pentacode file (the frozen dev split is left out, see
newsledger/evaluate/split.py), by 5-fold cross-validation: the sentence classifier of each
fold is trained on the other folds; each held-out sentence is coded by the pipeline with that
classifier; its main event is labelled right when its class is the gold class. A logistic
regression over the events' evidence (see newsledger/events/confidence.py) is fitted to those
labels and written to data/events/confidence.json, with the confidence threshold above which
the main event's class is trusted over the classifier's (the one that maximises macro-F1).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from newsledger.evaluate.events import code_sentences, macro_f1
from newsledger.evaluate.gold import pentacode_records
from newsledger.evaluate.split import train_part
from newsledger.events.confidence import FEATURES, features
from newsledger.events.decide import main_event
from newsledger.events.training import shared_folder
from newsledger.resources import data_path
from newsledger.model import Event
from newsledger.pipeline import Pipeline


def cross_validated_coding(texts: list[str], labels: list[int], *, folds: int = 5, seed: int = 0
                           ) -> tuple[list[list[Event]], list[dict[str, float]]]:
    """Code ``texts`` with the rules, for each fold with a sentence classifier trained on the
    other folds; returns each text's events and its out-of-fold classifier probabilities."""
    import tempfile

    from sklearn.model_selection import StratifiedKFold

    from newsledger.events.classify import PENTACODE_C, Head, SentenceClassifier, _vectorizer
    from newsledger.events.training import extra_pentacode_examples

    extra_texts, extra_labels = extra_pentacode_examples()
    coded: list[list[Event]] = [[] for _ in texts]
    probabilities: list[dict[str, float]] = [{} for _ in texts]
    with tempfile.TemporaryDirectory() as folder:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        for fold, (train, test) in enumerate(splitter.split(texts, labels)):
            head = Head.fit([texts[i] for i in train] + extra_texts,
                            [str(labels[i]) for i in train] + extra_labels, c=PENTACODE_C)
            path = Path(folder) / f"fold{fold}.npz"
            SentenceClassifier({"pentacode": head}).save(path)
            pipeline = Pipeline(classifier_path=str(path), coder="rules")
            held_out = [texts[i] for i in test]
            rows = head.probabilities(_vectorizer().transform(held_out))
            for i, events, row in zip(test, code_sentences(held_out, [None] * len(test),
                                                           pipeline), rows):
                coded[i] = events
                probabilities[i] = dict(zip(head.labels, row.tolist()))
    return coded, probabilities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None)
    args = parser.parse_args()
    rows = train_part("cameo_pentacode_train.tsv",
                      pentacode_records((args.shared or shared_folder()) / "data" / "gold"))
    texts, labels = [t for t, _ in rows], [label for _, label in rows]

    coded, probabilities = cross_validated_coding(texts, labels)
    evidence, right, mains = [], [], []
    for events, label in zip(coded, labels):
        main = main_event(events)
        mains.append(main)
        if main is not None:
            evidence.append(features(main.evidence))
            right.append(int((0 if main.cameo_root == "01" else main.quad_class) == label))

    model = LogisticRegression(C=1.0, max_iter=2000).fit(np.array(evidence), np.array(right))
    confidence = model.predict_proba(np.array(evidence))[:, 1]
    best = (0.0, 0.5)
    for threshold in np.arange(0.0, 1.0001, 0.05):
        predicted, k = [], 0
        for i, main in enumerate(mains):
            classifier_class = int(max(probabilities[i], key=probabilities[i].get))
            if main is not None:
                rule_class = 0 if main.cameo_root == "01" else main.quad_class
                predicted.append(rule_class if confidence[k] >= threshold else classifier_class)
                k += 1
            else:
                predicted.append(classifier_class)
        best = max(best, (macro_f1(labels, predicted, range(5)), round(float(threshold), 2)))
    spec = {
        "note": "fitted by scripts/fit_confidence.py on the training part of the pentacode "
                "file, dev split left out (5-fold, out-of-fold classifier probabilities)",
        "bias": round(float(model.intercept_[0]), 4),
        "weights": {name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0])},
        "decision_threshold": best[1],
        "fitted_on": {"main_events": len(right), "right": int(sum(right)),
                      "macro_f1_at_threshold": round(best[0], 4)},
    }
    out = data_path("events", "confidence.json")
    out.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(spec, indent=2))


if __name__ == "__main__":
    main()
