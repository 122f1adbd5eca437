"""The files /docs serves: our page and its script (static/), and Swagger UI's bundle and stylesheet as
released in the npm package swagger-ui-dist (vendor/, pinned with their hashes in vendor/VENDOR.json).

Nothing comes from another origin: the page loads only these files and the live OpenAPI document, and
"try it" calls the same deployment with the key pasted into Authorize, which Swagger UI keeps in the
tab's memory only. Files are served by exact name from the two folders; nothing a request names is joined
to a path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from chalicelib.core.static_files import TEXT_TYPES, content_security_policy, security_headers

HERE = Path(__file__).resolve().parent
FOLDERS = (HERE / "static", HERE / "vendor")
INDEX = "index.html"
TYPES = {**TEXT_TYPES, ".txt": "text/plain; charset=utf-8", "": "text/plain; charset=utf-8"}  # "": LICENSE, NOTICE
# Swagger UI sets element styles from script (allowed without 'unsafe-inline') and draws its icons as inline
# SVG or data: URIs; it needs nothing else. No inline script anywhere, so an injected one has no way to run.
CONTENT_SECURITY_POLICY = content_security_policy(img_src="'self' data:")
HEADERS = security_headers(CONTENT_SECURITY_POLICY)
# The vendored files change only with VENDOR.json's version; the page and its script follow each release.
VENDOR_CACHE = "public, max-age=86400"
PAGE_CACHE = "no-cache"


@dataclass(frozen=True)
class Asset:
    name: str
    content_type: str
    text: str
    vendored: bool

    def headers(self) -> dict[str, str | list[str]]:
        return {"Content-Type": self.content_type, **HEADERS,
                "Cache-Control": VENDOR_CACHE if self.vendored else PAGE_CACHE}


@cache
def manifest() -> dict[str, Path]:
    """The names that may be asked for; the page itself only at /docs, where its relative links resolve."""
    return {p.name: p for folder in FOLDERS for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix in TYPES and p.name not in (INDEX, "VENDOR.json")}


@cache
def vendored() -> dict[str, object]:
    found: dict[str, object] = json.loads((HERE / "vendor" / "VENDOR.json").read_text(encoding="utf-8"))
    return found


def page() -> Asset:
    return _load(HERE / "static" / INDEX)


def find(name: str) -> Asset | None:
    path = manifest().get(name)
    return None if path is None else _load(path)


@cache
def _load(path: Path) -> Asset:
    return Asset(name=path.name, content_type=TYPES[path.suffix], text=path.read_text(encoding="utf-8"),
                 vendored=path.parent.name == "vendor")
