"""Fake endpoints of a tenant's own on 127.0.0.1, over real HTTP: its verification gateway, its vendor classifier
gateway and its feedback webhook receiver. Each checks our signature (HMAC-SHA256 of `{timestamp}.{body}`),
records what it got, and answers from a script."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3

WEBHOOK_SECRET = "gateway-secret-for-tests"
WEBHOOK_PARAMETER = "/compliance-api/dev/tenants/acme/gateway-secret"


class SignedReceiver:
    """Answers `script`'s (status, answer, delay) replies in turn, then `status`, `answer` after `delay` with
    `headers`; an answer that is bytes is sent as it is. `refuse_unsigned`: a 401 to a badly signed request.
    `received`: each request's JSON body and whether its signature was ours."""

    def __init__(self, secret: str, path: str, *, answer: object = None, refuse_unsigned: bool = False) -> None:
        self.secret, self.refuse_unsigned = secret, refuse_unsigned
        self.script: list[tuple[int, object, float]] = []
        self.status, self.answer, self.delay = 200, {} if answer is None else answer, 0.0
        self.headers: dict[str, str] = {}
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                good = receiver.signed(body, self.headers.get("X-Compliance-Timestamp", ""),
                                       self.headers.get("X-Compliance-Signature", ""))
                receiver.received.append({"body": json.loads(body), "signature_ok": good})
                status, answer, delay = receiver.script.pop(0) if receiver.script else (
                    receiver.status, receiver.answer, receiver.delay)
                time.sleep(delay)
                payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(401 if receiver.refuse_unsigned and not good else status)
                for name, value in {"Content-Type": "application/json", **receiver.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads, self.server.block_on_close = True, False  # a slow answer never holds the test
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        expected = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def store_secret(parameter: str, secret: str) -> None:
    boto3.client("ssm", region_name="cn-north-1").put_parameter(Name=parameter, Value=secret, Type="SecureString",
                                                                Overwrite=True)


@contextlib.contextmanager
def webhook_receiver(api: Any, tenant: Any) -> Iterator[SignedReceiver]:
    """The tenant's reports.webhook pointed at a receiver, its signing secret stored under the tenant's path."""
    store_secret(WEBHOOK_PARAMETER, WEBHOOK_SECRET)
    receiver = SignedReceiver(WEBHOOK_SECRET, "/webhook")
    patch = {"reports": {"webhook": {"url": receiver.url, "secret_parameter": WEBHOOK_PARAMETER, "timeout_ms": 500}}}
    assert api.call("PUT", "/v1/policy", key=tenant.key, body=patch).status_code == 200
    try:
        yield receiver
    finally:
        receiver.close()
