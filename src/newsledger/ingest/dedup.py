"""Article identity and near-duplicate detection.

An article's id is a hash of its normalised content (title and body), so the same article read
twice gets the same id. Near-duplicates (the same story with other furniture, a wire copy under a
new headline) are found with MinHash over word shingles of the body, indexed by locality-sensitive
hashing: the signature is cut into bands, and two articles that share a band are candidates, then
confirmed by their estimated overlap. The band keys live in the ledger, so a lookup costs the same
whatever the size of the ledger.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 4
# An article is a near-duplicate of another when at least this share of its shingles is in it.
CONTAINMENT = 0.8

_NON_WORD = re.compile(r"[^\w]+")


def normalise_content(text: str) -> list[str]:
    """The words of ``text``, case-folded, without accents or punctuation."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).split()


# The hashing scheme is fixed so that signatures stored in a ledger stay comparable with new ones.
SCHEME = "affine32"


@functools.cache
def _permutations():
    """MinHash's random permutations, drawn once (datasketch draws them per object)."""
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def content_id(text: str, title: str | None = None) -> str:
    """The article id: 16 hex digits of a hash of the normalised title and body."""
    words = normalise_content(title or "") + ["\u241e"] + normalise_content(text)
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Fingerprint:
    """A body's MinHash signature, its shingle count and its LSH band keys."""

    signature: np.ndarray
    shingles: int

    @classmethod
    def of(cls, text: str) -> Fingerprint:
        words = normalise_content(text)
        grams = {" ".join(words[i:i + SHINGLE]).encode() for i in range(max(1, len(words) - SHINGLE + 1))}
        minhash = MinHash(num_perm=NUM_PERM, permutations=_permutations(), scheme=SCHEME)
        minhash.update_batch(list(grams))
        return cls(signature=minhash.hashvalues.astype(np.uint32), shingles=len(grams))

    @classmethod
    def from_bytes(cls, blob: bytes, shingles: int) -> Fingerprint:
        return cls(signature=np.frombuffer(blob, dtype=np.uint32), shingles=shingles)

    def to_bytes(self) -> bytes:
        return self.signature.astype(np.uint32).tobytes()

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per band (the band's number is part of the key)."""
        keys = []
        for band in range(BANDS):
            chunk = self.signature[band * ROWS:(band + 1) * ROWS].tobytes()
            digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys

    def jaccard(self, other: Fingerprint) -> float:
        return float(np.mean(self.signature == other.signature))

    def containment(self, other: Fingerprint) -> float:
        """Estimated share of the smaller body's shingles that the other body also has."""
        jaccard = self.jaccard(other)
        shared = jaccard * (self.shingles + other.shingles) / (1.0 + jaccard)
        return min(1.0, shared / max(1, min(self.shingles, other.shingles)))

    def duplicates(self, other: Fingerprint) -> bool:
        return self.containment(other) >= CONTAINMENT
