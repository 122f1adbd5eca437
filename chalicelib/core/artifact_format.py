"""The artifact object: an .npz of numpy arrays (no object arrays) and one JSON header for the non-array parts.

Loading is np.load with allow_pickle=False and json.loads, members are stored uncompressed and the header
names the format, kind and digest, so nothing in the object can run code or inflate past its own size in a
role that decrypts every tenant's identity data (MB2018-7, RL2020-24); anything else is Refused.
"""

from __future__ import annotations

import io
import json
from typing import Any

FORMAT = "npz-json/1"
_ZIP_MAGIC = b"PK\x03\x04"
_HEADER = "header"
_ARRAY = "array."


class Refused(Exception):
    """A stored object that is not a usable artifact of what was asked for."""


def encode(kind: str, digest: str, doc: dict[str, Any], parts: dict[str, Any]) -> bytes:
    """`parts`: numpy arrays, and lists of strings (kept as one UTF-8 array each, see _strings_array)."""
    import numpy as np

    strings = {name: value for name, value in parts.items() if isinstance(value, list)}
    header = json.dumps({"format": FORMAT, "kind": kind, "digest": digest, "doc": doc,
                         "strings": {name: len(value) for name, value in strings.items()}},
                        ensure_ascii=False, separators=(",", ":")).encode()
    members = {_HEADER: np.frombuffer(header, dtype=np.uint8)}
    for name, value in parts.items():
        members[_ARRAY + name] = _strings_array(value) if name in strings else np.ascontiguousarray(value)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **members)
    return buffer.getvalue()


def _strings_array(values: list[str]) -> Any:
    """Strings as one UTF-8 array: a separator found in none of them, then the strings joined by it.
    Splitting it back is one C call, where JSON would parse every string on its own."""
    import numpy as np

    if not values:
        return np.zeros(0, dtype=np.uint8)
    used = set("".join(values))
    separator = next(chr(c) for c in range(0x110000) if chr(c) not in used and not 0xD800 <= c <= 0xDFFF)
    return np.frombuffer((separator + separator.join(values)).encode(), dtype=np.uint8)


def _strings_of(array: Any, count: Any) -> list[str]:
    if not isinstance(count, int) or array.dtype != "uint8" or array.ndim != 1:
        raise Refused("strings are not a UTF-8 vector with a count")
    text = array.tobytes().decode()
    found = text[1:].split(text[0]) if text else []
    if len(found) != count:
        raise Refused(f"{len(found)} strings where {count} were stored")
    return found


def _check_stored(blob: bytes) -> None:
    """Members are stored uncompressed (as encode writes them), so nothing inflates past the object's
    own size: a compressed member could unpack to whatever memory holds."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        for member in archive.infolist():
            if member.compress_type != zipfile.ZIP_STORED or member.file_size != member.compress_size:
                raise Refused(f"member {member.filename!r} is compressed")


def decode(blob: bytes, kind: str, digest: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the JSON document, the parts by name) of an artifact of `kind` named `digest`, or Refused."""
    import numpy as np

    if not blob.startswith(_ZIP_MAGIC):
        raise Refused("not an npz archive")
    try:
        _check_stored(blob)
        with np.load(io.BytesIO(blob), allow_pickle=False) as found:
            header = json.loads(found[_HEADER].tobytes().decode())
            parts = {name[len(_ARRAY):]: found[name] for name in found.files if name.startswith(_ARRAY)}
    except Refused:
        raise
    except Exception as exc:  # a zip, npy or JSON error of any kind: not ours to trust
        raise Refused(f"unreadable: {type(exc).__name__}") from exc
    if not isinstance(header, dict) or not isinstance(header.get("doc"), dict) \
            or not isinstance(header.get("strings"), dict):
        raise Refused("no header document")
    if (header.get("format"), header.get("kind")) != (FORMAT, kind):
        raise Refused(f"format {header.get('format')!r} of kind {header.get('kind')!r}")
    if header.get("digest") != digest:
        raise Refused("embedded digest is not the name's")
    for name, count in header["strings"].items():
        if name not in parts:
            raise Refused(f"no strings {name!r}")
        parts[name] = _strings_of(parts[name], count)
    return header["doc"], parts
