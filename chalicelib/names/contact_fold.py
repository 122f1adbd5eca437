"""The text contacts are looked for in, folded one character to one (names/contact.py): a Latin letter or a
digit for what reads as one, "." for every full stop and dot, the simplified form of a Han character, "~" for
anything else; a match's span is the original text's."""

from __future__ import annotations

import unicodedata

from chalicelib.names import tables
from chalicelib.names.char_fold import numeral
from chalicelib.names.codepoints import CodeTable
from chalicelib.names.contact_patterns import _DOTS, _KEPT, _PLUSES


class _Folding(dict[int, str]):
    """codepoint → its one folded character (see the module docstring), for str.translate."""

    def __missing__(self, code: int) -> str:
        self[code] = _fold(chr(code))
        return self[code]


def _fold(char: str) -> str:
    if char in _DOTS:
        return "."
    if char in _PLUSES:
        return "+"
    shaped = unicodedata.normalize("NFKC", char).casefold()
    shaped = "".join(c for c in unicodedata.normalize("NFD", shaped) if unicodedata.category(c) != "Mn")
    digits = [numeral(c) for c in shaped if numeral(c).isdigit() and numeral(c).isascii()]
    if len(digits) == 1:  # ⑴ → "(1)", ⒈ → "1.", 六 → 6, ❶ → 1
        return digits[0]
    if len(shaped) != 1:
        return "~"
    looks = tables.skeleton().get(shaped, shaped)
    if looks.isascii() and looks.isalnum():
        return looks
    if shaped in _KEPT:
        return shaped
    if shaped.isalpha():
        return tables.traditional_to_simplified().get(shaped, shaped)
    return "~"


_folding = _Folding()
_table = CodeTable(lambda char: ord(_fold(char)))


def fold(text: str) -> str:
    """`text` folded one character to one: per distinct character in Python once per container, per
    character as one numpy gather on long posts (str.translate through a dict costs more there)."""
    if len(text) < 512:
        return text.translate(_folding)
    return _table.gather(text).tobytes().decode("utf-32-le")

