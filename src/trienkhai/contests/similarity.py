"""Near-same texts among a contest's entries: MinHash of word shingles (decision 0056).

A text is folded (``vn.fold``: no tone marks, đ → d, lower case), cut into words, and
every run of ``SHINGLE`` consecutive words is a shingle. Two texts' likeness is the
Jaccard index of their shingle sets (shared / all), estimated from ``PERMUTATIONS``
minimum hashes (Broder 1997): each entry keeps 128 × 4 bytes, and a new entry is
compared with every earlier one of its contest in one numpy comparison.

Texts of fewer than ``MIN_SHINGLES`` shingles (a scan, a poem of a few lines) get no
signature: a short text shares its few shingles by chance too often to say anything.
"""

import hashlib
import re

import numpy as np

from trienkhai.vn.text import fold

SHINGLE = 5
"""Words in a shingle: shorter runs are shared by any two texts on the same subject
("Đảng bộ tỉnh Kiên Giang"), longer ones miss a copy with a word changed here and there."""
PERMUTATIONS = 128
"""Minimum hashes kept: the estimate's standard error is at most 1/(2√128) ≈ 0,044."""
MIN_SHINGLES = 50
"""A text needs this many shingles (some 55 words) to be compared at all."""
NEAR_SAME = 0.5
"""Estimated Jaccard from which two entries are flagged for the organiser. A text copied
with one word in twenty changed keeps some 75 % of its shingles (0,6); two essays on the
same resolution that quote it at length stay under 0,2."""
_PRIME = (1 << 61) - 1
_random = np.random.default_rng(20221)  # fixed: signatures must stay comparable forever
_A = _random.integers(1, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)
_B = _random.integers(0, 1 << 32, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def signature(text: str) -> bytes:
    """The MinHash of ``text``'s shingles (``PERMUTATIONS`` × uint32, 512 bytes), or b""
    when it is too short to compare."""
    words = _WORD.findall(fold(text))
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    if len(shingles) < MIN_SHINGLES:
        return b""
    hashed = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little")
            for s in shingles
        ),
        dtype=np.uint64,
        count=len(shingles),
    )
    # (a·h + b) mod p: a, b, h < 2³², so the product fits 64 bits (p = 2⁶¹ − 1).
    permuted = (np.outer(_A, hashed) + _B[:, None]) % np.uint64(_PRIME)
    return (permuted.min(axis=1) & np.uint64(0xFFFFFFFF)).astype("<u4").tobytes()


def most_like(
    new: bytes, earlier: list[tuple[int, bytes | memoryview]]
) -> tuple[int, float] | None:
    """Of ``earlier`` (id, signature), the one most like ``new`` if their estimated
    Jaccard index reaches ``NEAR_SAME``: (id, likeness); None otherwise."""
    kept = [(pk, bytes(s)) for pk, s in earlier if s and len(s) == 4 * PERMUTATIONS]
    if not new or not kept:
        return None
    mine = np.frombuffer(new, dtype="<u4")
    theirs = np.frombuffer(b"".join(s for _, s in kept), dtype="<u4").reshape(len(kept), -1)
    likeness = (theirs == mine).mean(axis=1)
    best = int(likeness.argmax())
    if likeness[best] < NEAR_SAME:
        return None
    return kept[best][0], round(float(likeness[best]), 2)
