"""CSV imports never answer 500: what the csv module cannot read, a field longer than an entry can use
and text that is not Unicode are refused as 4xx with a stable code and the line; nothing is written."""

from __future__ import annotations

import json

import pytest

from chalicelib.avatars.banks import MAX_FIELD_CHARS

PDQ = "f" * 64
IMPORT = "/v1/avatars/banks/banned/import"


def entries(api, key) -> list[dict]:
    return api.call("GET", "/v1/avatars/banks/banned/entries", key=key).json["items"]


@pytest.mark.parametrize("size", [131_073, 200_000, MAX_FIELD_CHARS + 1])
def test_a_field_longer_than_an_entry_can_use_is_refused_with_its_line(api, tenant, size):
    # GIVEN a file whose third line carries a label longer than any entry field (the csv module's own
    # limit is 131,072 characters; the schema lets a file be 4,000,000)
    text = f"pdq,label\n{PDQ},ok\n{'e' * 64},{'x' * size}\n"
    # WHEN it is imported
    answer = api.call("POST", IMPORT, key=tenant.key, body={"csv": text})
    # THEN it is a 422 CSV_INVALID naming line 3, and not one entry of the file is written
    assert answer.status_code == 422, answer.json
    assert answer.json["error"]["code"] == "CSV_INVALID"
    assert answer.json["error"]["details"]["line"] == 3
    assert entries(api, tenant.key) == []


def test_a_field_as_long_as_the_widest_entry_field_is_still_read(api, tenant):
    # GIVEN 100 owner subject ids, the most an entry takes, in one field (4,499 characters)
    owners = ";".join(f"sub_{n:040x}" for n in range(100))
    assert len(owners) < MAX_FIELD_CHARS
    # WHEN it is imported
    answer = api.call("POST", IMPORT, key=tenant.key, body={"csv": f"pdq,owner_subject_ids\n{PDQ},{owners}\n"})
    # THEN the entry is stored with all its owners
    assert (answer.status_code, answer.json["imported"]) == (200, 1)
    assert len(entries(api, tenant.key)[0]["owner_subject_ids"]) == 100


def test_an_oversized_header_is_refused_on_line_1(api, tenant):
    answer = api.call("POST", IMPORT, key=tenant.key, body={"csv": f"pdq,{'x' * 140_000}\n{PDQ},a\n"})
    assert (answer.status_code, answer.json["error"]["code"]) == (422, "CSV_INVALID")
    assert answer.json["error"]["details"]["line"] == 1


@pytest.mark.parametrize("text", [
    f"pdq,label\r{PDQ},old Mac line ends\r",          # a bare CR, which the csv module refused inside a field
    f"pdq,label\r\n{PDQ},\"a label\r\nover two lines\"\r\n",
    f"pdq,label\n{PDQ},with a NUL \x00 inside\n",
])
def test_line_ends_and_nul_bytes_are_read_not_500(api, tenant, text):
    answer = api.call("POST", IMPORT, key=tenant.key, body={"csv": text})
    assert (answer.status_code, answer.json["imported"]) == (200, 1), answer.json


def test_a_lone_surrogate_in_the_file_is_400_not_500(api, tenant):
    # GIVEN a JSON body whose csv string escapes half of a surrogate pair: valid JSON, not Unicode text
    raw = json.dumps({"csv": f"pdq,label\n{PDQ},x"})[:-2].encode() + b"\\ud800\"}"
    # WHEN it is imported
    answer = api.call("POST", IMPORT, key=tenant.key, raw=raw)
    # THEN it is refused as malformed, and a full pair (an emoji) still goes through
    assert (answer.status_code, answer.json["error"]["code"]) == (400, "MALFORMED_JSON")
    pair = json.dumps({"csv": f"pdq,label\n{PDQ},x"})[:-2].encode() + b"\\ud83d\\ude00\"}"
    assert api.call("POST", IMPORT, key=tenant.key, raw=pair).json["imported"] == 1
    assert entries(api, tenant.key)[0]["label"] == "x\U0001f600"
