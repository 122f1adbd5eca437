"""POST /v1/identity/validate: a verdict for every number, 400 only for a malformed request."""

from __future__ import annotations

import random

from tests import factories


def test_a_valid_resident_id_comes_back_normalized_with_details(api, tenant):
    number = factories.resident_id(random.Random(1), region="110105")
    response = api.call("POST", "/v1/identity/validate", key=tenant.key,
                        body={"type": "RESIDENT_ID", "number": number.lower()})
    assert response.status_code == 200
    assert response.json["valid"] is True and response.json["normalized"] == number
    assert response.json["details"]["region"]["county"] == "朝阳区"


def test_an_invalid_number_is_a_200_with_reasons(api, tenant):
    response = api.call("POST", "/v1/identity/validate", key=tenant.key, body={"type": "USCC", "number": "0" * 18})
    assert response.status_code == 200
    assert response.json["valid"] is False
    assert {"AUTHORITY", "DEGENERATE"} <= set(response.json["reasons"])


def test_a_virtual_operator_mobile_carries_a_risk_warning(api, tenant):
    response = api.call("POST", "/v1/identity/validate", key=tenant.key,
                        body={"type": "MOBILE", "number": "17012345678"})
    assert response.json["warnings"] == ["VIRTUAL_OPERATOR_RISK"]
    assert response.json["details"]["line_type"] == "VIRTUAL_OPERATOR"


def test_an_unknown_type_or_a_missing_field_is_a_400(api, tenant):
    for body in ({"type": "DRIVING_LICENCE", "number": "1"}, {"type": "RESIDENT_ID"}, {"number": "1"}):
        response = api.call("POST", "/v1/identity/validate", key=tenant.key, body=body)
        assert (response.status_code, response.json["error"]["code"]) == (400, "SCHEMA_VIOLATION")


def test_the_number_never_reaches_the_logs(api, tenant, log_lines):
    number = factories.resident_id(random.Random(2))
    api.call("POST", "/v1/identity/validate", key=tenant.key, body={"type": "RESIDENT_ID", "number": number + "0"})
    assert number not in log_lines.text()
