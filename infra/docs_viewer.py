"""Vendor Swagger UI for /docs from the npm package swagger-ui-dist (no CDN at run time).

    python infra/docs_viewer.py [VERSION]      (default: the version in chalicelib/docs/vendor/VENDOR.json)

Fetches the package with `npm pack`, checks the tarball against the registry's integrity (sha512), copies
the browser bundle, its stylesheet and the licence files into chalicelib/docs/vendor/, and records their
SHA-256 in VENDOR.json, which tests/api/test_docs_pages.py holds the files to.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "chalicelib" / "docs" / "vendor"
PACKAGE = "swagger-ui-dist"
FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt")


def main(version: str | None = None) -> int:
    version = version or json.loads((VENDOR / "VENDOR.json").read_text())["version"]
    spec = f"{PACKAGE}@{version}"
    integrity = subprocess.run(["npm", "view", spec, "dist.integrity"], check=True, capture_output=True,
                               text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as work:
        name = subprocess.run(["npm", "pack", spec, "--silent"], cwd=work, check=True, capture_output=True,
                              text=True).stdout.strip().splitlines()[-1]
        tarball = Path(work) / name
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != integrity:
            raise SystemExit(f"{spec}: tarball {digest} does not match the registry's {integrity}")
        with tarfile.open(tarball) as archive:
            for file in FILES:
                member = archive.extractfile(f"package/{file}")
                assert member is not None, file
                (VENDOR / file).write_bytes(member.read())
    manifest = {"package": PACKAGE, "version": version, "integrity": integrity, "license": "Apache-2.0",
                "files": {f: hashlib.sha256((VENDOR / f).read_bytes()).hexdigest() for f in sorted(FILES)}}
    (VENDOR / "VENDOR.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"vendored {spec} into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
