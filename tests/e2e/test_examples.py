"""The three flows in examples/, run as a newcomer runs them: `make run` (infra/local.py), then each script with
the COMPLIANCE_API_URL and COMPLIANCE_API_KEY the banner prints, over real HTTP through the Python client."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.e2e.stack import ROOT, local_stack

EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def environment():
    """One local stack for the module; the examples' environment read off its banner, as a person would."""
    with local_stack(drop=("AWS_", "COMPLIANCE_API_")) as started:
        exported = re.search(r"export COMPLIANCE_API_URL=(\S+) COMPLIANCE_API_KEY=(\S+)", started.banner)
        assert exported, "the banner prints the examples' environment"
        yield {**{k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_API_")},
               "COMPLIANCE_API_URL": exported[1], "COMPLIANCE_API_KEY": exported[2]}


def run(example: str, env: dict[str, str]) -> list[str]:
    # The script as documented, from a plain checkout: no PYTHONPATH, no installed client.
    clean = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(EXAMPLES / example)], env=clean, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines()


def test_the_sign_up_flow_verifies_checks_and_registers(environment):
    lines = run("signup.py", environment)
    assert lines[0].startswith("1. identity MATCH: subject sub_")
    assert lines[1].endswith(": PASS") and lines[2] == "3. avatar: PASS"
    assert re.fullmatch(r"4\. registered account acc_\w+ for sub_\w+", lines[3])


def test_the_publish_flow_gates_checks_matches_the_rumour_and_records_the_label(environment):
    lines = run("publish.py", environment)
    assert lines[0] == "1. can publish: True"
    assert re.fullmatch(r"3\. rumours matched: \['rmr_\w+'\]", lines[2])
    assert re.fullmatch(r"4\. recorded LABEL on post-\w+", lines[3])


def test_the_moderation_round_reports_decides_answers_and_appeals(environment):
    lines = run("moderation.py", environment)
    assert re.fullmatch(r"1\. report rpt_\w+ -> case cas_\w+, due \S+", lines[0])
    assert lines[2].startswith("3. decided VIOLATION: dispositions ['dsp_")
    assert lines[3] == "4. reporter sees: DECIDED / VIOLATION"
    assert re.fullmatch(r"5\. appeal apl_\w+: PENDING, due \S+", lines[4])


def test_an_example_without_its_environment_says_what_to_set(environment):
    bare = {k: v for k, v in environment.items() if not k.startswith("COMPLIANCE_API_")}
    done = subprocess.run([sys.executable, str(EXAMPLES / "signup.py")], env=bare, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "COMPLIANCE_API_URL" in done.stderr


def test_the_interactive_docs_are_served_by_the_local_stack(environment):
    # GIVEN the stack make run starts WHEN /docs and what it loads are fetched over HTTP, without a key
    import urllib.request

    base = environment["COMPLIANCE_API_URL"]
    with urllib.request.urlopen(f"{base}/docs", timeout=10) as page:
        html = page.read().decode()
        policy = page.headers["Content-Security-Policy"]
    # THEN the page, Swagger UI's bundle and the live document answer, under a policy with nothing inline
    assert "swagger-ui-bundle.js" in html and "script-src 'self'" in policy and "unsafe" not in policy
    for path in ("/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/docs.js", "/v1/openapi.json",
                 "/v1/errors"):
        with urllib.request.urlopen(base + path, timeout=10) as answer:
            assert answer.status == 200, path
