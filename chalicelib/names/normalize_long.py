"""Long texts (posts of thousands of characters) through the normalization pipeline (names/normalize.py) as
numpy gathers over per-codepoint tables (names/codepoints.py): per distinct character the work is the short
path's (names/char_fold.py); per character it runs in C. The same keys, origins (as arrays) and steps.
"""

from __future__ import annotations

from typing import Any

from chalicelib.names.char_fold import STEPS, kept_of, numeral, steps_of, word_class
from chalicelib.names.codepoints import CodeTable, Expansion, points_of, text_of
from chalicelib.names.normalize import Normalized
from chalicelib.names.phrases import phrased_long

_kept = Expansion(kept_of, steps_of)
_numerals = CodeTable(lambda char: ord(numeral(char)))
_classes = CodeTable(word_class)


def normalize_long(text: str) -> Normalized:
    """`normalize`, the same keys, origins (as arrays) and steps, in C and numpy for long texts."""
    text, phrase = phrased_long(text)
    points = points_of(text)
    flags = _kept.flags_over(points)
    raw_points, raw_origin = _kept.expand(points)
    key_points, origin, ran = _collapsed_points(raw_points, raw_origin)
    flags |= (64 if ran else 0) | (8 if phrase else 0)
    steps = tuple(step for bit, step in enumerate(STEPS) if flags & (1 << bit))
    return Normalized(text_of(key_points), origin, steps, text_of(raw_points), raw_origin,
                      text_of(_numerals.gather_points(raw_points)))


def word_classes(text: str) -> Any:
    """`word_class` of every character of `text`, as a numpy array."""
    return _classes.gather(text)


def translated(text: str, mapping: dict, lengths: dict) -> tuple[str, Any]:
    """`text` through str.translate with `mapping`, and for each character out the index in `text` it
    came from (`lengths` maps a codepoint to chr(len(mapping's string)))."""
    import numpy as np

    mapped = text.translate(mapping)
    if not mapped:
        return "", np.zeros(0, dtype=np.int64)
    counts = np.frombuffer(text.translate(lengths).encode("utf-32-le"), dtype=np.uint32)
    return mapped, np.repeat(np.arange(len(text), dtype=np.int64), counts)


def _collapsed_points(points: Any, origin: Any) -> tuple[Any, Any, bool]:
    import numpy as np

    if not len(points):
        return points, origin, False
    keep = np.empty(len(points), dtype=bool)
    keep[0] = True
    np.not_equal(points[1:], points[:-1], out=keep[1:])
    if keep.all():
        return points, origin, False
    return points[keep], origin[keep], True
