"""Tenant-set URLs (verification gateway, feedback webhook) cannot be aimed inside: no redirects, one
checked and pinned address, one deadline, a bounded answer, and nothing of the endpoint's answer in ours.

Every endpoint here is a socket server on 127.0.0.1 that serves a few connections and stops by itself;
"outside" addresses are only ever simulated by patching name resolution, never dialled."""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.core import config, outbound
from tests import factories
from tests.api.test_identity_http_provider import SECRET
from tests.builders import decide, report

MATCH = json.dumps({"outcome": "MATCH"}).encode()
PUBLIC = "93.184.216.34"
HOST = "gateway.tenant.example"
REASONS = {reason.value for reason in outbound.Reason} | {"RATE_LIMITED", "PROVIDER_ERROR", "CIRCUIT_OPEN"}
Answer = Callable[[socket.socket], None]


# --- endpoints on 127.0.0.1 -------------------------------------------------------------------------------

def respond(status: int, body: bytes = MATCH, headers: dict[str, str] | None = None, *,
            length: bool = True) -> Answer:
    def answer(connection: socket.socket) -> None:
        head = [f"HTTP/1.1 {status} X", "Connection: close", *(f"{k}: {v}" for k, v in (headers or {}).items())]
        if length:
            head.append(f"Content-Length: {len(body)}")
        connection.sendall("\r\n".join([*head, "", ""]).encode() + body)
    return answer


def drip(fast: bytes, slow: bytes, every: float = 0.4) -> Answer:
    """`fast` at once, then `slow` one byte per `every` seconds, then the connection closes."""
    def answer(connection: socket.socket) -> None:
        connection.sendall(fast)
        for byte in slow:
            time.sleep(every)
            connection.sendall(bytes([byte]))
    return answer


class Endpoint:
    """Serves at most `connections` connections, one at a time, and stops after `lifetime` seconds."""

    def __init__(self, answer: Answer, *, connections: int = 4, lifetime: float = 30.0,
                 tls: ssl.SSLContext | None = None) -> None:
        self.answer, self.tls = answer, tls
        self.requests: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/verify"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, args=(connections, time.monotonic() + lifetime),
                                       daemon=True)
        self.thread.start()

    def _serve(self, connections: int, until: float) -> None:
        with self.listener:
            while connections and not self.stop.is_set() and time.monotonic() < until:
                try:
                    connection, _ = self.listener.accept()
                except TimeoutError:
                    continue
                connections -= 1
                self._handle(connection)

    def _handle(self, connection: socket.socket) -> None:
        connection.settimeout(2.0)
        try:
            if self.tls is not None:
                connection = self.tls.wrap_socket(connection, server_side=True)
            with connection:
                self.requests.append(_read_request(connection))
                self.answer(connection)
        except OSError:
            pass  # the client gave up (deadline) or refused our certificate

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lengths = [int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
    length = lengths[0] if lengths else 0
    while len(body) < length:
        body += connection.recv(4096)
    return data


@pytest.fixture
def endpoint() -> Iterator[Callable[..., Endpoint]]:
    started: list[Endpoint] = []

    def start(answer: Answer, **options: Any) -> Endpoint:
        started.append(Endpoint(answer, **options))
        return started[-1]

    yield start
    for server in started:
        server.close()


# --- the two callers of tenant URLs, through the API -------------------------------------------------------

@dataclass(frozen=True)
class Result:
    ok: bool
    reason: str | None
    answer: Any
    seconds: float  # of the request that made the call, alone


@dataclass(frozen=True)
class Caller:
    """One of the product's calls to a tenant URL: the verification gateway or the feedback webhook."""

    name: str

    def configure(self, api: Any, key: str, url: str, *, timeout_ms: int = 500, stage: str = "dev") -> bool:
        """Whether the policy took the URL (the webhook's schema refuses some forms outright)."""
        parameter = f"/compliance-api/{stage}/tenants/live/endpoint-secret"
        boto3.client("ssm", region_name="cn-north-1").put_parameter(Name=parameter, Value=SECRET,
                                                                          Type="SecureString", Overwrite=True)
        endpoint = {"url": url, "secret_parameter": parameter, "timeout_ms": timeout_ms}
        patch = ({"identity": {"provider": "http", "http_provider": {**endpoint, "max_retries": 0}}}
                 if self.name == "gateway" else {"reports": {"webhook": endpoint}})
        status = api.call("PUT", "/v1/policy", key=key, body=patch).status_code
        assert status in {200, 400}
        return status == 200

    def call(self, api: Any, key: str) -> Result:
        if self.name == "webhook":
            case_id = report(api, key).json["case_id"]
            started = time.monotonic()
            state = decide(api, key, case_id).json["webhook"]
            return Result(state["status"] == "DELIVERED", state.get("error"), state, time.monotonic() - started)
        body = {"subject_type": "PERSON", "document": {"type": "RESIDENT_ID", "number": factories.resident_id()},
                "real_name": "测试"}
        started = time.monotonic()
        response = api.call("POST", "/v1/identity/verifications", key=key, body=body)
        seconds = time.monotonic() - started
        assert response.status_code != 500, response.json
        if response.status_code == 201:
            return Result(response.json["outcome"] == "MATCH", None, response.json, seconds)
        error = response.json["error"]
        return Result(False, error["details"].get("provider_code") or error["code"], response.json, seconds)


CALLERS = [Caller("gateway"), Caller("webhook")]


@pytest.fixture
def live(make_tenant: Any) -> Any:
    return make_tenant("live", sandbox=False)


@pytest.fixture
def prod_api(app: Any, backend: Any) -> Iterator[Any]:
    from chalice.test import Client

    from tests.conftest import Api

    with Client(app, stage_name="prod") as client:
        yield Api(client)


@pytest.fixture
def resolution(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[Any]]:
    """Name resolution of HOST replaced by `answers` (one list of IPs per lookup, the last one repeating),
    and every connect() recorded: outside addresses are refused here, never dialled."""
    connected: list[Any] = []
    real_lookup, real_connect = socket.getaddrinfo, socket.socket.connect

    def simulate(*answers: list[tuple[str, int]]) -> list[Any]:
        lookups = list(answers)

        def lookup(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
            if host != HOST:
                return real_lookup(host, port, *args, **kwargs)
            addresses = lookups.pop(0) if len(lookups) > 1 else lookups[0]
            return [(socket.AF_INET6 if ":" in ip else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                     (ip, p, 0, 0) if ":" in ip else (ip, p)) for ip, p in addresses]

        def connect(self: socket.socket, address: Any) -> None:
            connected.append(address)
            if address[0] != "127.0.0.1":
                raise ConnectionRefusedError("outside addresses are not dialled in tests")
            real_connect(self, address)

        monkeypatch.setattr(socket, "getaddrinfo", lookup)
        monkeypatch.setattr(socket.socket, "connect", connect)
        return connected

    return simulate


# --- redirects ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_loopback_is_refused_and_not_followed(api, live, endpoint, caller, status):
    # GIVEN a tenant endpoint that redirects to a loopback service answering MATCH
    inside = endpoint(respond(200, MATCH))
    outside = endpoint(respond(status, b"", {"Location": inside.url}))
    caller.configure(api, live.key, outside.url)
    # WHEN the product calls the tenant endpoint
    result = caller.call(api, live.key)
    # THEN the redirect is a failure, and the loopback service was never asked
    assert (result.ok, result.reason) == (False, "REDIRECT")
    assert len(outside.requests) == 1 and inside.requests == []


# --- one deadline ---------------------------------------------------------------------------------------------

HEAD = b"HTTP/1.1 200 OK\r\nContent-Length: 19\r\nConnection: close\r\n\r\n"


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
@pytest.mark.parametrize(("fast", "slow"), [(b"", HEAD), (HEAD, MATCH)], ids=["status-line", "body"])
def test_an_endpoint_dripping_bytes_cannot_stretch_the_call_past_its_timeout(api, live, endpoint, caller, fast, slow):
    # GIVEN an endpoint that sends one byte every 0.4 s (each read well inside a 500 ms timeout)
    server = endpoint(drip(fast, slow[:12]), connections=1)
    caller.configure(api, live.key, server.url, timeout_ms=500)
    # WHEN the product calls it
    result = caller.call(api, live.key)
    # THEN the whole request (API, storage and the call) ends soon after 500 ms, not after 12 drips (4.8 s)
    assert (result.ok, result.reason) == (False, "TIMEOUT")
    assert result.seconds < 2.5


@pytest.mark.parametrize(("fast", "slow"), [(b"", HEAD), (HEAD, MATCH)], ids=["status-line", "body"])
def test_the_call_itself_ends_within_its_timeout_and_a_small_slack(endpoint, fast, slow):
    # GIVEN a dripping endpoint WHEN the client calls it with 500 ms
    server = endpoint(drip(fast, slow[:8]), connections=1)
    started = time.monotonic()
    with pytest.raises(outbound.OutboundError) as failure:
        outbound.post(server.url, b"{}", {}, timeout_ms=500)
    # THEN it gives up at the deadline: lookup, connect, send and every read share it
    assert failure.value.reason is outbound.Reason.TIMEOUT
    assert 0.45 < time.monotonic() - started < 0.7


# --- a bounded answer -------------------------------------------------------------------------------------------

PADDED_MATCH = MATCH + b" " * (100 * 1024)  # still valid JSON, larger than the limit


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
@pytest.mark.parametrize("answer", [
    respond(200, PADDED_MATCH),                                      # declared length over the limit
    respond(200, PADDED_MATCH, length=False),                        # read until close
    respond(200, MATCH, {f"X-Pad-{n}": "p" * 4000 for n in range(40)}),  # headers past the raw limit
], ids=["declared", "streamed", "headers"])
def test_an_oversized_answer_is_a_failure_not_a_truncated_match(api, live, endpoint, caller, answer):
    # GIVEN an endpoint whose answer is larger than 64 KiB (a MATCH padded with whitespace)
    server = endpoint(answer)
    caller.configure(api, live.key, server.url)
    # WHEN the product calls it THEN it is refused as too large
    result = caller.call(api, live.key)
    assert (result.ok, result.reason) == (False, "TOO_LARGE")


def test_an_answer_at_the_limit_is_read_whole(endpoint):
    # GIVEN a MATCH padded to exactly 64 KiB WHEN called THEN the whole body is read
    body = MATCH + b" " * (outbound.BODY_LIMIT - len(MATCH))
    server = endpoint(respond(200, body, length=False))
    assert outbound.post(server.url, b"{}", {}, timeout_ms=2000).body == body


# --- the gateway's answer, type by type -------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b'{"outcome": 5}', b'{"outcome": []}', b'{"outcome": {}}', b'{"outcome": "match"}', b'{"result": 5}',
    b"[]", b'[{"outcome": "MATCH"}]', b'"MATCH"', b"null", b"5", b"", b"\xff\xfe{", b"[" * 60000,
    b'{"provider": 5, "code": "-1"}', b'{"provider": "tencent.idcard", "code": -1}',
    b'{"provider": ["tencent.idcard"], "code": {"-1": 1}}', b'{"provider": "tencent.idcard"}',
    b'{"provider": "unknown.vendor", "code": "0"}',
], ids=lambda body: repr(body[:40]))
def test_a_gateway_answer_of_the_wrong_shape_is_a_provider_error_not_a_500(api, live, endpoint, body):
    # GIVEN a gateway answering 200 with JSON of the wrong types (or not JSON at all)
    server = endpoint(respond(200, body))
    CALLERS[0].configure(api, live.key, server.url)
    # WHEN a verification asks it THEN the answer is a clean 503, never a 500 and never a match
    result = CALLERS[0].call(api, live.key)
    assert result.answer["error"]["code"] == "PROVIDER_UNAVAILABLE"
    assert result.reason == "BAD_ANSWER"


# --- nothing of the endpoint's answer in ours ----------------------------------------------------------------------

LEAK = b'{"provider": "tencent.idcard", "code": "-7", "secret": "INSIDE-ANSWER-1234"}'


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 418, 429, 451, 500, 502, 503])
def test_the_endpoints_status_and_body_never_reach_our_answer(api, live, endpoint, caller, status):
    # GIVEN an endpoint answering an error status with a body of its own
    server = endpoint(respond(status, LEAK))
    caller.configure(api, live.key, server.url)
    # WHEN the product calls it
    result = caller.call(api, live.key)
    # THEN what we answer and record names our reason only
    text = json.dumps(result.answer)
    assert not result.ok and result.reason in REASONS
    assert f"HTTP_{status}" not in text and f": {status}" not in text
    assert "INSIDE-ANSWER" not in text and "tencent" not in text


@pytest.mark.parametrize(("answer", "code"), [
    ({"provider": "tencent.idcard", "code": "-7"}, "PROVIDER_RATE_LIMITED"),
    ({"provider": "tencent.idcard", "code": "-4"}, "PROVIDER_UNAVAILABLE"),
    ({"provider": "aliyun.cloudauth", "code": "500"}, "PROVIDER_UNAVAILABLE"),
    ({"provider": "evil.vendor", "code": "http://169.254.169.254/latest"}, "PROVIDER_UNAVAILABLE"),
])
def test_a_providers_own_failure_code_is_not_echoed(api, live, endpoint, answer, code):
    # GIVEN a gateway passing its provider's failure code through
    server = endpoint(respond(200, json.dumps(answer).encode()))
    CALLERS[0].configure(api, live.key, server.url)
    # WHEN a verification asks it THEN the 503 carries our reason, not the provider's code
    result = CALLERS[0].call(api, live.key)
    assert result.answer["error"]["code"] == code
    assert result.reason in REASONS and answer["provider"] not in json.dumps(result.answer)


# --- one lookup, one checked address ---------------------------------------------------------------------------

@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
def test_a_rebinding_name_is_connected_only_at_the_address_that_was_checked(prod_api, api, live, endpoint,
                                                                              resolution, caller):
    # GIVEN a name that resolves to a public address first and to a loopback service afterwards
    inside = endpoint(respond(200, MATCH))
    caller.configure(api, live.key, f"https://{HOST}/verify", stage="prod")
    connected = resolution([(PUBLIC, 443)], [("127.0.0.1", inside.port)])
    # WHEN the product calls it in prod
    result = caller.call(prod_api, live.key)
    # THEN it connected to the public address it checked (refused here), never to loopback
    assert not result.ok
    assert [address[0] for address in connected] == [PUBLIC] and inside.requests == []


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
def test_a_name_with_one_inside_address_among_public_ones_is_refused(prod_api, api, live, endpoint, resolution,
                                                                     caller):
    # GIVEN a name resolving to a public address and a loopback one in the same answer
    inside = endpoint(respond(200, MATCH))
    caller.configure(api, live.key, f"https://{HOST}/verify", stage="prod")
    connected = resolution([(PUBLIC, 443), ("127.0.0.1", inside.port)])
    # WHEN the product calls it in prod THEN it refuses before connecting anywhere
    result = caller.call(prod_api, live.key)
    assert (result.ok, result.reason) == (False, "ADDRESS_FORBIDDEN")
    assert connected == [] and inside.requests == []


INSIDE = ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "169.254.0.23",
          "100.64.0.1", "100.100.100.200", "0.0.0.0", "224.0.0.1", "239.255.255.250", "240.0.0.1",
          "255.255.255.255", "198.18.0.1", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "fec0::1", "ff02::1",
          "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::ffff:100.64.0.1", "64:ff9b::a9fe:a9fe",
          "2002:7f00:1::1", "::127.0.0.1"]


@pytest.mark.parametrize("address", INSIDE)
def test_in_prod_a_name_resolving_inside_is_refused_before_any_connection(monkeypatch, resolution, address):
    # GIVEN prod and a tenant URL whose name resolves to an address inside
    monkeypatch.setenv("STAGE", "prod")
    connected = resolution([(address, 443)])
    # WHEN the client is asked to call it THEN it refuses, and nothing was dialled
    with pytest.raises(outbound.OutboundError) as failure:
        outbound.post(f"https://{HOST}/verify", b"{}", {}, timeout_ms=500)
    assert failure.value.reason is outbound.Reason.ADDRESS_FORBIDDEN and connected == []


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: c.name)
@pytest.mark.parametrize("url", ["https://127.0.0.1/verify", "https://[::ffff:127.0.0.1]/", "https://169.254.169.254/",
                                 "https://[fd00:ec2::254]/", "https://100.64.0.1/", "https://224.0.0.1/",
                                 "https://2130706433/", "https://0x7f.1/", "http://gateway.example.com/"])
def test_in_prod_an_inside_url_is_refused_through_the_api(prod_api, api, live, resolution, caller, url):
    # GIVEN prod and a tenant URL that is an inside address written in some form (or plain HTTP)
    if not caller.configure(api, live.key, url, stage="prod"):
        return  # the policy's schema already refused the URL
    connected = resolution([(PUBLIC, 443)])
    # WHEN the product would call it THEN it is refused and nothing was dialled
    result = caller.call(prod_api, live.key)
    assert not result.ok and result.reason in {"PROVIDER_URL_FORBIDDEN", "WEBHOOK_URL_FORBIDDEN", "ADDRESS_FORBIDDEN"}
    assert connected == []


@pytest.mark.parametrize("address", ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"])
def test_metadata_addresses_are_refused_even_in_dev(resolution, address):
    # GIVEN dev (loopback allowed for tests) and a name resolving to a cloud metadata address
    connected = resolution([(address, 80)])
    # WHEN called THEN refused before any connection
    with pytest.raises(outbound.OutboundError) as failure:
        outbound.post(f"http://{HOST}/latest/meta-data/", b"", {}, timeout_ms=500)
    assert failure.value.reason is outbound.Reason.ADDRESS_FORBIDDEN and connected == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/a b", "http://127.0.0.1:1/a\x7f", "http://127.0.0.1:1/\u00e9",
                                 "ftp://127.0.0.1/", "file:///etc/passwd", "http:///nohost", "http://127.0.0.1:99999/"])
def test_a_url_that_could_inject_into_the_request_is_refused(url):
    with pytest.raises(outbound.OutboundError) as failure:
        outbound.post(url, b"", {}, timeout_ms=500)
    assert failure.value.reason is outbound.Reason.BAD_URL


# --- TLS on the pinned address ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A test CA and two leaf certificates it signed: one for HOST, one for another name."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for name in (HOST, "other.example"):
        key = ec.generate_private_key(ec.SECP256R1())
        leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
                .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        (folder / f"{name}.pem").write_bytes(
            leaf.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return {"ca": folder / "ca.pem", HOST: folder / f"{HOST}.pem", "other": folder / "other.example.pem"}


def _tls_server(certificate: Path, names: list[str]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate)
    context.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment, return-value]
    return context


@pytest.fixture
def trust_test_ca(monkeypatch: pytest.MonkeyPatch, certificates: dict[str, Path]) -> None:
    context = ssl.create_default_context(cafile=str(certificates["ca"]))
    monkeypatch.setattr(outbound, "tls_context", lambda: context)


def test_tls_goes_to_the_checked_address_with_sni_and_the_certificate_of_the_urls_host(endpoint, resolution,
                                                                                        certificates, trust_test_ca):
    # GIVEN HOST resolving to a TLS endpoint on 127.0.0.1 whose certificate names HOST
    names: list[str] = []
    server = endpoint(respond(200, MATCH), tls=_tls_server(certificates[HOST], names))
    resolution([("127.0.0.1", server.port)])
    # WHEN called by name
    answer = outbound.post(f"https://{HOST}:{server.port}/verify", b"{}", {}, timeout_ms=2000)
    # THEN the answer is read, SNI and Host named HOST, though the socket went to the checked address
    assert answer.body == MATCH and names == [HOST]
    assert f"Host: {HOST}:{server.port}".encode() in server.requests[0]


@pytest.mark.parametrize("which", ["other", "untrusted"])
def test_a_certificate_for_another_name_or_an_untrusted_one_is_refused(monkeypatch, endpoint, resolution,
                                                                       certificates, which):
    # GIVEN a TLS endpoint whose certificate names another host, or one no trusted CA signed
    if which == "other":
        context = ssl.create_default_context(cafile=str(certificates["ca"]))
        monkeypatch.setattr(outbound, "tls_context", lambda: context)
    server = endpoint(respond(200, MATCH), tls=_tls_server(certificates["other" if which == "other" else HOST], []))
    resolution([("127.0.0.1", server.port)])
    # WHEN called THEN the handshake is refused and no request is sent
    with pytest.raises(outbound.OutboundError) as failure:
        outbound.post(f"https://{HOST}:{server.port}/verify", b"{}", {}, timeout_ms=2000)
    assert failure.value.reason is outbound.Reason.TLS_FAILED and server.requests == []


# --- an unset stage is prod ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, ""])
def test_a_missing_stage_means_prod(monkeypatch, value):
    # GIVEN an environment that lost STAGE (or has it empty), with no explicit validation switch
    if value is None:
        monkeypatch.delenv("STAGE", raising=False)
    else:
        monkeypatch.setenv("STAGE", value)
    monkeypatch.delenv("VALIDATE_RESPONSES", raising=False)
    # THEN every guard is prod's: stage, response validation, and tenant URLs
    assert config.settings().stage == "prod" and config.validate_responses() is False
    with pytest.raises(outbound.OutboundError) as failure:
        outbound.post("http://127.0.0.1:1/verify", b"", {}, timeout_ms=500)
    assert failure.value.reason is outbound.Reason.ADDRESS_FORBIDDEN
