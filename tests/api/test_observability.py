"""Structured logs carry the request id and tenant, never an identity number; metrics flush per request."""

from __future__ import annotations

import json

from chalicelib.core.observability import logger


def test_each_request_flushes_its_metrics_and_logs_with_request_id_and_tenant(api, tenant, capsys, log_lines):
    capsys.readouterr()
    refused = api.call("PUT", "/v1/policy", key=tenant.key, body={"retention": {"log_days": 1}})
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    assert len(metrics) == 1
    assert metrics[0]["route"] == "PUT /v1/policy"
    assert metrics[0]["ClientErrors"] == [1.0]
    refusal = next(line for line in log_lines() if line["message"] == "request refused")
    assert refusal["request_id"] == refused.headers["X-Request-Id"]
    assert refusal["tenant_id"] == "acme"
    assert refusal["code"] == "SCHEMA_VIOLATION"


def test_a_successful_request_emits_no_metric_of_its_own(api, tenant, capsys):
    api.call("GET", "/v1/policy", key=tenant.key)
    capsys.readouterr()
    api.call("GET", "/v1/policy", key=tenant.key)
    assert '{"_aws"' not in capsys.readouterr().out


def test_keys_of_one_request_do_not_leak_into_the_next(api, tenant, log_lines):
    api.call("GET", "/v1/policy", key=tenant.key)
    logger.info("between requests")
    line = log_lines()[-1]
    assert line["message"] == "between requests"
    assert "tenant_id" not in line and "request_id" not in line


def test_identity_numbers_in_a_log_line_are_masked(log_lines):
    logger.info("checking 110101199003070078 and 13800138000", extra={"phone": "+8613800138000"})
    out = log_lines.text()
    assert "110101199003070078" not in out and "13800138000" not in out
    assert "11************0078" in out and "********000" in out and "138****8000" not in out
