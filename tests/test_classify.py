"""The sentence classifier's inference needs numpy alone; scikit-learn is for training."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsledger.events import classify


def test_inference_loads_neither_scikit_learn_nor_scipy_modules():
    code = (
        "import sys\n"
        "from newsledger.events.classify import default_classifier\n"
        "before = set(sys.modules)\n"
        "model = default_classifier()\n"
        "assert model is not None, 'no shipped classifier'\n"
        "[row] = model.predict('pentacode', ['Troops shelled the border town overnight.'])\n"
        "assert abs(sum(row.values()) - 1) < 1e-4\n"
        "loaded = set(sys.modules) - before\n"
        "print(sorted(m for m in loaded if m.split('.')[0] in ('sklearn', 'scipy'))[:3],\n"
        "      'sklearn' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    # (scipy itself may be loaded by other parts of the package: datasketch uses it)
    assert done.stdout.strip() == "[] False"


def test_murmurhash_matches_scikit_learn():
    murmurhash3_32 = pytest.importorskip("sklearn.utils").murmurhash3_32
    samples = [b"", b"a", b"ab", b"abc", b"abcd", b"abcde", "straße café".encode(),
               b"troops shelled", bytes(range(256))]
    for data in samples:
        assert classify.murmurhash3_32(data) == murmurhash3_32(data, seed=0, positive=False)


def test_hashed_counts_match_the_training_vectorizer():
    pytest.importorskip("sklearn")
    texts = ["Troops shelled the town, and troops shelled it again.", "", "a b",
             "Ministers signed a deal in Pyongyang on Monday."]
    expected = classify._vectorizer().transform(texts).tocsr()
    expected.sort_indices()
    got = classify.hash_counts(texts)
    assert got.indptr.tolist() == expected.indptr.tolist()
    assert got.indices.tolist() == expected.indices.tolist()
    assert got.data.tolist() == expected.data.tolist()


def test_predictions_match_the_sparse_path():
    pytest.importorskip("sklearn")
    model = classify.default_classifier()
    if model is None:
        pytest.skip("no shipped classifier")
    texts = ["North Korea sent troops to Russia.", "The two leaders signed a pact.", ""]
    for head in model.heads.values():
        sparse = head.probabilities(classify._vectorizer().transform(texts))
        dense = head.probabilities(classify.hash_counts(texts))
        assert sparse.tolist() == dense.tolist()
