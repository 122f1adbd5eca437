"""The console's static files: which names are served, with which type and headers.

The console is a page on top of this API: it holds no key and no data, so it is served without one,
and it can do nothing the API does not let the key pasted into it do. Only files that ship in
`static/` are served, by their exact name; nothing a request names is joined to a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from chalicelib.core.static_files import TEXT_TYPES, content_security_policy, security_headers

STATIC = Path(__file__).resolve().parent / "static"
INDEX = "index.html"
TYPES = {**TEXT_TYPES, ".svg": "image/svg+xml"}
# No inline script or style, nothing from another origin: a reviewer's key lives in this page's session
# storage, so an injected script must have nowhere to come from and nowhere to send it.
CONTENT_SECURITY_POLICY = content_security_policy()
# A new release is seen on the next load; the files are small and served from memory.
HEADERS = {**security_headers(CONTENT_SECURITY_POLICY), "Cache-Control": "no-cache"}


@dataclass(frozen=True)
class Asset:
    name: str
    content_type: str
    text: str


@cache
def manifest() -> frozenset[str]:
    """The names that may be asked for: the shipped files of a served type, nothing else."""
    # The page itself only at /console: its links are relative to that address.
    return frozenset(p.name for p in STATIC.iterdir() if p.is_file() and p.suffix in TYPES and p.name != INDEX)


def page() -> Asset:
    return _load(INDEX)


def find(name: str) -> Asset | None:
    if name not in manifest():
        return None
    return _load(name)


@cache
def _load(name: str) -> Asset:
    path = STATIC / name
    return Asset(name=name, content_type=TYPES[path.suffix], text=path.read_text(encoding="utf-8"))


def headers_for(asset: Asset) -> dict[str, str | list[str]]:
    return {"Content-Type": asset.content_type, **HEADERS}
