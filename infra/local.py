"""Run the whole API locally: a moto server as the AWS backend and `chalice local` on top.

    python infra/local.py            (what `make run` does)

Environment: AWS_PORT (moto, default 5000), PORT (API, default 8000), DEMO_API_KEY (use this
key for the demo tenant instead of a random one), SCHEDULE_EVERY_S (fire every schedule every N
seconds instead of on its rate; infra/local_jobs.py). Both servers listen on 127.0.0.1 only.
The API is Chalice's own local server for the `dev` stage; the one addition is the
unknown-route answer that infra/template.json configures on API Gateway (404 with the
error envelope), which `chalice local` would otherwise answer with API Gateway's default 403.
Ctrl-C (or SIGTERM) stops both servers.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chalice import local as chalice_local  # noqa: E402
from chalice.cli.factory import CLIFactory  # noqa: E402

from infra import demo_data, local_jobs, moto_transactions, resources  # noqa: E402

DEMO_TENANT = "demo"
# A made-up resident ID with a valid structure and check digit (sequence 900: nobody's number).
SAMPLE_ID = "110105199003079003"
REGION = "cn-north-1"


class RouteNotFound(chalice_local.LocalGatewayException):
    CODE = 404


# Chalice keeps the current request on the app object (a Lambda container serves one request at
# a time); connections are served on threads, but requests go through the app one at a time.
_ONE_AT_A_TIME = threading.Lock()


class EnvelopeGateway(chalice_local.LocalGateway):
    """Chalice's local API Gateway with the template's gateway response for unknown routes."""

    def handle_request(self, method: str, path: str, headers: Any, body: Any) -> Any:
        try:
            with _ONE_AT_A_TIME:
                return super().handle_request(method, path, headers, body)
        except chalice_local.ForbiddenError as exc:
            if b"Missing Authentication Token" not in (exc.body or b""):
                raise
            request_id = str(uuid.uuid4())
            raise RouteNotFound(
                {"Content-Type": "application/json; charset=utf-8", "X-Request-Id": request_id},
                resources.route_not_found_body(request_id),
            ) from exc


class EnvelopeRequestHandler(chalice_local.ChaliceRequestHandler):
    # The headers and the body go out in separate writes: with Nagle's algorithm the body waits for the
    # client's delayed ACK, 40 ms on every answer.
    disable_nagle_algorithm = True

    def __init__(self, request: Any, client_address: Any, server: Any, app_object: Any, config: Any) -> None:
        self.local_gateway = EnvelopeGateway(app_object, config)
        chalice_local.BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def __getattr__(self, name: str) -> Any:
        """Any method (TRACE, QUERY…) reaches the app, which answers 405 in the error envelope;
        the standard library's server would answer 501 with an HTML page."""
        if name.startswith("do_"):
            return self._generic_handle
        raise AttributeError(name)


def start_backend(port: int) -> Any:
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-call access log

    os.environ.update({
        "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
        "STAGE": "dev",  # the local stack is the dev stage; an unset STAGE means prod (core/config.py)
    })
    moto_transactions.install()  # a transaction's cost bounded by its items, not the table (infra/moto_transactions.py)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    os.environ["AWS_ENDPOINT_URL"] = f"http://{host}:{bound}"
    os.environ.update(resources.environment(resources.create_all("dev", REGION)))
    # Compiled name indexes go to a local directory here; deployed, they go to S3.
    os.environ.setdefault("ARTIFACT_DIR", str(ROOT / ".local" / "artifacts"))
    return server


def seed_demo_tenant() -> str:
    from chalicelib.tenants import service as tenants

    _, key, _ = tenants.create_tenant("Demo Platform", tenant_id=DEMO_TENANT, sandbox=True,
                                      key=os.environ.get("DEMO_API_KEY") or None)
    return key


def start_api(port: int) -> Any:
    """Chalice's local server for the dev stage, with the envelope gateway above."""
    factory = CLIFactory(project_dir=str(ROOT))
    config = factory.create_config_obj("dev")
    app_object = config.chalice_app
    chalice_local.CustomLocalChalice.__bases__ = (chalice_local.LocalChalice, app_object.__class__)
    app_object.__class__ = chalice_local.CustomLocalChalice
    return chalice_local.LocalDevServer(app_object, config, "127.0.0.1", port, handler_cls=EnvelopeRequestHandler)


def banner(api: str, key: str) -> str:
    curl = f"curl -s -H 'X-Api-Key: {key}'"
    json_header = "-H 'Content-Type: application/json'"
    return "\n".join([
        "",
        "Compliance API is running (stage dev, moto backend).",
        f"  API:          {api}",
        f"  demo tenant:  {DEMO_TENANT} (sandbox)",
        f"  API key:      {key}",
        f"  docs:         {api}/docs (Authorize with the key to try an operation)",
        "",
        "The examples (examples/README.md) read these:",
        f"  export COMPLIANCE_API_URL={api} COMPLIANCE_API_KEY={key}",
        "",
        "Try:",
        f"  curl -s {api}/v1/health",
        f"  {curl} {api}/v1/tenant",
        f"  {curl} {api}/v1/policy",
        f"  {curl} -X PUT {json_header} -d '{{\"retention\": {{\"log_days\": 200}}}}' {api}/v1/policy",
        f"  {curl} {api}/v1/api-keys",
        f"  {curl} -X POST {json_header} -d '{{\"type\": \"MOBILE\", \"number\": \"17012345678\"}}' "
        f"{api}/v1/identity/validate",
        f"  {curl} -X POST {json_header} -d '{{\"subject_type\": \"PERSON\", \"real_name\": \"测试用户\", "
        f"\"document\": {{\"type\": \"RESIDENT_ID\", \"number\": \"{SAMPLE_ID}\"}}}}' {api}/v1/identity/verifications",
        f"  {curl} -X POST {json_header} -d '{{\"text\": \"人民日報 官方\", \"field\": \"account_name\"}}' "
        f"{api}/v1/names/check",
        f"  {curl} -X POST {json_header} -d '{{\"reporter\": {{\"anonymous\": true}}, "
        f"\"target\": {{\"type\": \"CONTENT\", \"id\": \"post-1\"}}, \"category\": \"RUMOUR\", "
        f"\"description\": \"谣言\"}}' {api}/v1/reports",
        f"  {curl} {api}/v1/cases",
        f"  {curl} {api}/v1/cases/stats",
        f"  curl -s {api}/v1/openapi.json",
        "",
        "Sandbox verifier: the three digits before a number's check character choose the outcome",
        "(991 MISMATCH, 992 NO_RECORD, 993 INVALID_INPUT, 994 UNSUPPORTED, 995 RATE_LIMITED, 996 PROVIDER_ERROR).",
        "",
        "Scheduled work runs as deployed: each schedule on its rate (SCHEDULE_EVERY_S=N: every N seconds),",
        "its units consumed from the moto server's queues. In another shell, against this stack:",
        "  make job NAME=evaluate-metrics        (one schedule now, its work drained, what it did printed)",
        "  make cli ARGS='tenants list'          (the operator CLI)",
        "",
        "Ctrl-C stops both servers.",
        "",
    ])


def main() -> int:
    backend = start_backend(int(os.environ.get("AWS_PORT", "5000")))
    try:
        key = seed_demo_tenant()
        port = int(os.environ.get("PORT", "8000"))
        api = start_api(port)
        demo_data.seed_in_background(f"http://127.0.0.1:{port}", key, DEMO_TENANT)  # for /console
        jobs_stop, _ = local_jobs.start()
    except BaseException:
        backend.stop()
        raise

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(banner(f"http://127.0.0.1:{port}", key), flush=True)
    try:
        api.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        jobs_stop.set()
        api.server.server_close()
        backend.stop()
        print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
