"""A post's matches as spans of its text (names/post.py), kept where they stand as words: a Latin or number
term's ends not inside a longer word or number, a numeric match only where a number is written in another form
(names/normalize.py's word rules, over the arrays of matches at once)."""

from __future__ import annotations

from typing import Any

from chalicelib.names.index import Matches, NameIndex
from chalicelib.names.normalize import numbers_disguised
from chalicelib.names.normalize_long import word_classes


def in_text(found: Matches, origin: Any) -> Matches:
    """Matches in a key as spans [start, end) of the text, through the key's origins."""
    import numpy as np

    if not len(found.numbers):
        return found
    origin = np.asarray(origin, dtype=np.int64)
    return Matches(origin[found.starts], origin[found.ends - 1] + 1, found.numbers)


class Edges:
    """The matches whose Latin (digit) ends do not touch a letter (digit) of the text, or whose term asked
    for substring matching (normalize.on_word_edges, all at once); the text's word classes read once."""

    def __init__(self, index: NameIndex, text: str) -> None:
        self.index, self.text = index, text
        self.classes: Any = None

    def kept(self, found: Matches) -> Matches:
        import numpy as np

        if not len(found.numbers):
            return found
        if self.classes is None:  # one past the end: no class
            self.classes = np.append(word_classes(self.text), 0).astype(np.int64)
        return _on_edges(self.index, found, self.classes)


def _on_edges(index: NameIndex, found: Matches, classes: Any) -> Matches:
    import numpy as np

    starts, ends = found.starts, found.ends
    first, last = classes[starts], classes[ends - 1]
    before = np.where(starts > 0, classes[starts - 1], 0)
    inside = ((first > 0) & (before == first)) | ((last > 0) & (classes[ends] == last))
    if not inside.any():
        return found
    numbers, local = np.unique(found.numbers, return_inverse=True)
    substring = np.array(index.field("substring", numbers.tolist()), dtype=bool)[local]
    keep = ~inside | substring
    return Matches(starts[keep], ends[keep], found.numbers[keep])


def disguised(index: NameIndex, text: str, found: Matches) -> Matches:
    """The numeric matches that are numbers written in another form (normalize.numbers_disguised)."""
    import numpy as np

    if not len(found.numbers):
        return found
    raws = index.field("raw", found.numbers.tolist())
    keep = np.array([numbers_disguised(text, s, e, raw) for s, e, raw in zip(found.starts.tolist(), found.ends.tolist(),
                                                                             raws, strict=True)], dtype=bool)
    return Matches(found.starts[keep], found.ends[keep], found.numbers[keep])
