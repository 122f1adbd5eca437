"""Fuzz the API with schemathesis over its own OpenAPI document, against the `make run` stack.

    python infra/fuzz.py [--max-examples N] [--scenarios N] [--seed S] [schemathesis options...]   (make fuzz)

Starts infra/local.py on free ports with a known demo key and runs every schemathesis phase
(examples, coverage, fuzzing, stateful: the document's links chain created resources) with every
check (`--checks all`), prints schemathesis's summary and stops the stack. Any failure fails the run.

This module is also the run's hooks module (SCHEMATHESIS_HOOKS), for what the document states in
terms schemathesis does not act on:

- date-time values are generated inside the accepted range (common.json AcceptedTimestamp states it
  with formatMinimum/formatMaximum, which schemathesis does not read);
- a schema-valid identity verification carries a resident ID number with a valid check digit (made up:
  division 110105, sequence 900-989, which the sandbox verifier matches), so the stateful phase can
  follow a verified subject through the links; a schema-invalid body is left as generated;
- a schema-valid request refused with 422, or 412, is not a failure where the operation declares it:
  422 is the API's status for a well-formed request refused for what it means (a check digit, an image
  that does not decode, a name the lexicon refuses), 412 for an If-Match naming another policy version
  (a state answer, as 409 is); no schema can state either;
- a schema-valid request refused with one of the 400s in INEXPRESSIBLE is not a failure either: each
  is a rule OpenAPI cannot write down, named with the reason.
Every other refusal of schema-valid data, and every other check, fails the run.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KEY = "ck_fuzz_" + "f" * 32
# Bounded for a few minutes on two cores: 20 examples per operation in the fuzzing phase (the coverage
# phase's set is fixed by the document, about 4,500 requests), up to 100 stateful scenarios of 10 calls.
MAX_EXAMPLES = 20
STATEFUL_SCENARIOS = 100
STATEFUL_STEPS = 10

INEXPRESSIBLE = {
    "CURSOR_INVALID": "a cursor is a page token the server issued; the document bounds its spelling, and no "
                      "schema can say which strings were issued",
    "RANGE_INVALID": "from must not be after to: OpenAPI has no constraint between two parameters",
    "TRACKING_TOKEN_REQUIRED": "the token goes in X-Tracking-Token or (deprecated) ?token=: OpenAPI cannot "
                               "require one of two parameters",
    "TEXT_EMPTY": "text that is empty once control, format and space characters are removed: the Unicode "
                  "categories involved are beyond a JSON Schema pattern",
    "LEXICON_ENTRY_TOO_SHORT": "an entry too short once normalized (width, case, script, separators): the "
                               "normalizer is beyond a JSON Schema pattern",
    "TEXT_TOO_LONG": "a name's length limit per field is the tenant's policy, not a constant of the document",
    "RANGE_TOO_LONG": "a statistics range over 366 days, to defaulting to now: a relation between parameters",
    "SCHEMA_VIOLATION policy.json": "a policy merge patch is held to the policy it makes (policy.json), merged "
                                    "with the tenant's overrides; the document gives the patch's own shape",
}
STATE_OR_MEANING = ("412", "422")


def accepted_range() -> tuple[datetime, datetime]:
    from chalicelib.core import validation

    accepted = validation.all_schemas()["common.json"]["$defs"]["AcceptedTimestamp"]
    return (datetime.fromisoformat(accepted["formatMinimum"]), datetime.fromisoformat(accepted["formatMaximum"]))


def spelled(instant: datetime, offset_minutes: int, zulu: bool) -> str:
    """RFC 3339 as a client may write it: Z, or an offset up to ±23:59 (the instant stays the same)."""
    if zulu:
        return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return instant.astimezone(timezone(timedelta(minutes=offset_minutes))).isoformat()


def declared_statuses(case: Any) -> set[str]:
    return set(case.operation.definition.raw.get("responses", {}))


def refusal(response: Any) -> str | None:
    """The error code, and for a schema violation the schema violated (SCHEMA_VIOLATION policy.json)."""
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return None
    if error.get("code") == "SCHEMA_VIOLATION":
        return f"SCHEMA_VIOLATION {error.get('details', {}).get('schema')}"
    return error.get("code")


DROPPED: Counter[str] = Counter()


def keep_failure(failure: Any, case: Any, response: Any) -> bool:
    """False only for a refusal of schema-valid data that the document cannot express (module docstring)."""
    from schemathesis.openapi.checks import RejectedPositiveData

    if not isinstance(failure, RejectedPositiveData):
        return True
    status, code = str(response.status_code), refusal(response)
    if status in STATE_OR_MEANING and status in declared_statuses(case):
        DROPPED[f"{status} {code}"] += 1
        return False
    if status == "400" and code in INEXPRESSIBLE:
        DROPPED[f"{status} {code}"] += 1
        return False
    return True


def print_dropped() -> None:
    print("Refusals of schema-valid data not counted as failures (infra/fuzz.py):", file=sys.stderr)
    for reason, count in sorted(DROPPED.items()):
        print(f"  {count:5d}  {reason}", file=sys.stderr)


def verifiable(body: Any) -> Any:
    """`body` with a resident ID that passes its check digit, if it is a schema-valid verification request."""
    from chalicelib.core import validation
    from chalicelib.identity.documents.common import mod11_2_check

    if not validation.validator("verification_request.json").is_valid(body):
        return body
    seed = zlib.crc32(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8", "replace"))
    number = f"110105{date(1950, 1, 1) + timedelta(days=seed % 20000):%Y%m%d}{900 + seed % 90:03d}"
    made = {k: v for k, v in body.items() if k != "mobile"}  # an optional mobile would need its own check
    document = {"type": "RESIDENT_ID", "number": number + mod11_2_check(number)}
    return {**made, "subject_type": "PERSON", "document": document}


def register_hooks() -> None:
    import schemathesis
    from hypothesis import strategies as st

    low, high = accepted_range()
    instants = st.datetimes(min_value=low.replace(tzinfo=None), max_value=high.replace(tzinfo=None),
                            timezones=st.just(UTC))
    schemathesis.openapi.format("date-time", st.builds(spelled, instants, st.integers(-1439, 1439), st.booleans()))
    atexit.register(print_dropped)

    @schemathesis.hook
    def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
        return keep_failure(failure, case, response)

    @schemathesis.hook("map_body").apply_to(operation_id="verify_identity")
    def verifiable_body(context: Any, body: Any) -> Any:
        return verifiable(body)


def config(max_examples: int, scenarios: int) -> str:
    """schemathesis.toml: examples per operation in each phase, and the stateful phase's scenarios."""
    return (f"[generation]\nmax-examples = {max_examples}\n\n"
            f"[phases.stateful]\nmax-steps = {STATEFUL_STEPS}\n\n"
            f"[phases.stateful.generation]\nmax-examples = {scenarios}\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES)
    parser.add_argument("--scenarios", type=int, default=STATEFUL_SCENARIOS)
    parser.add_argument("--seed", type=int, default=None)
    args, extra = parser.parse_known_args()  # the rest goes to schemathesis, e.g. --report ndjson
    from infra.stack import running

    with running(KEY) as base, tempfile.NamedTemporaryFile("w", suffix=".toml") as settings:
        settings.write(config(args.max_examples, args.scenarios))
        settings.flush()
        schemathesis = Path(sys.executable).with_name("schemathesis")
        command = [str(schemathesis), "--config-file", settings.name, "run", f"{base}/v1/openapi.json",
                   "-H", f"X-Api-Key: {KEY}", "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
                   "--request-timeout", "20"]  # one worker: a second thread slows generation down 3-fold
        if args.seed is not None:
            command += ["--seed", str(args.seed)]
        command += extra
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "infra.fuzz", "PYTHONPATH": str(ROOT)}
        return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
elif os.environ.get("SCHEMATHESIS_HOOKS") == __name__:
    register_hooks()
