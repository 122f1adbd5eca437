"""Stored indexes: what is loaded answers as what was built, and nothing in a stored object can run
code or pass for what it is not (core/artifacts.py)."""

from __future__ import annotations

import io
import pickle
import random
import zipfile
from pathlib import Path

import numpy as np
import pytest

from chalicelib.avatars.index import BRUTE_FORCE_BELOW, BankIndex
from chalicelib.core import artifact_format, artifacts
from chalicelib.names import entries
from chalicelib.names.check import check
from chalicelib.names.index import NameIndex
from chalicelib.rumours.minhash import RumourIndex


class Hostile:
    """Unpickling this writes the marker file: what an attacker who can write artifacts would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return exec, (f"open({str(self.marker)!r}, 'w').write('ran')",)


def stored(index, kind: str = "names", digest: str = "d" * 64) -> bytes:
    return artifacts.encode(kind, digest, *index.to_artifact())


def loaded(cls, blob: bytes, kind: str = "names", digest: str = "d" * 64, version: str = "v"):
    return cls.from_artifact(*artifacts.decode(blob, kind, digest), version)


# --- round trips -----------------------------------------------------------------------------------

def lexicon() -> list:
    """Built-in data plus one of each kind of tenant entry, with separators and control characters
    inside strings (the string lists join on a character none of them holds)."""
    return entries.builtin() + [
        *entries.protected("p1", "蓝鲸示例传媒", "MEDIA", ["蓝鲸传媒", "Blue\x00Whale"], ["sub_1", "sub_2"]),
        entries.term("t1", "高仿名牌手表", "OTHER_PROHIBITED", "REJECT"),
        entries.term("t2", "代开发\x01票", "OTHER_PROHIBITED", "REVIEW"),
        entries.term("t3", "蓝鲸传媒", "OTHER_PROHIBITED", "REVIEW"),  # one key, two entries
        entries.allow("a1", "公安部门户"),
        entries.banned("b1", "示例封禁账号名", expires_at="2027-01-01T00:00:00Z"),
    ]


SAMPLE = ["人民日报官方", "人民曰报", "renminribao", "蓝鲸示例传媒旗舰店", "蓝鲸示例传煤", "Blue Whale", "高仿名牌手錶",
          "gaofangmingpai", "代开发票", "公安部门户网站", "示例封禁账号名", "示例封禁帐号明", "周末去公园野餐", ""]


def answers(index: NameIndex, text: str) -> tuple:
    return (list(index.exact(text)), list(index.homophones(text)), list(index.homophones(text, terms=True)),
            list(index.homophones(text, long=True, terms=True)), list(index.near_copies(text)),
            check(index, text, "account_name", "sub_1"))


def test_a_loaded_name_index_answers_as_the_built_one():
    built = NameIndex.build(lexicon(), "v")
    again = loaded(NameIndex, stored(built))
    assert again.rows == built.rows and again.version == "v"
    for name in ("automaton", "pinyin_automaton", "term_pinyin_automaton"):
        assert dict(getattr(again, name).items()) == dict(getattr(built, name).items()), name
    assert any(len(numbers) > 1 for _, (_, numbers) in again.automaton.items())
    for name in ("near_hashes", "near_entries", "near_buckets"):
        assert np.array_equal(getattr(again, name), getattr(built, name)), name
    assert (again.near_bits, again.near_lengths) == (built.near_bits, built.near_lengths)
    for text in SAMPLE:
        assert answers(again, text) == answers(built, text), text


def test_an_empty_name_index_survives_the_round_trip():
    built = NameIndex.build([], "v")
    again = loaded(NameIndex, stored(built))
    assert again.rows == [] and again.automaton is None and again.near_hashes is None
    assert answers(again, "人民日报") == answers(built, "人民日报")


@pytest.mark.parametrize("size", [3, BRUTE_FORCE_BELOW + 5])  # compared in full, and probed by chunks
def test_a_loaded_bank_answers_as_the_built_one(size):
    rng = np.random.default_rng(size)
    hashes = [rng.integers(0, 256, 32, dtype=np.uint8).tobytes() for _ in range(size)]
    ids = [f"PROTECTED#av_{n}" for n in range(size)]
    built = BankIndex.build("3", ids, hashes)
    built.entries = {i: {"bank": "PROTECTED", "entry_id": i[10:], "label": f"标签{n}", "owner_subject_ids": ["s"]}
                     for n, i in enumerate(ids)}
    again = loaded(BankIndex, stored(built, "avatars"), "avatars", version="3")
    assert again.ids == built.ids and again.entries == built.entries
    for row in (0, size - 1):
        near = bytearray(hashes[row])
        near[0] ^= 0b111  # three bits away
        queries = {"original": bytes(near), "other": hashes[(row + 1) % size]}
        assert again.match(queries, 31) == built.match(queries, 31) != []


def test_a_loaded_rumour_index_answers_as_the_built_one():
    claim = "紧急通知：明天起全市自来水停水三天，请大家马上囤水，转发给亲朋好友！"
    other = "某地发生大地震的视频其实是多年前的旧视频"
    built = RumourIndex.build("2", [("r1", claim), ("r1", claim[:20]), ("r2", other)])
    built.rumours = {"r1": {"rumour_id": "r1", "claim": claim}, "r2": {"rumour_id": "r2", "claim": other}}
    built.images = BankIndex.build("2", ["r2"], [bytes(range(32))])
    again = loaded(RumourIndex, stored(built, "rumours"), "rumours", version="2")
    assert again.rumours == built.rumours and again.images.ids == ["r2"]
    post = "今天听说：" + claim.replace("自来水", "自來水") + "大家怎么看"
    for text in (post, other, "周末去公园野餐"):
        assert again.match(text, 0.5) == built.match(text, 0.5)
    assert again.images.match({"original": bytes(range(32))}, 31) == [(0, 0, "original")]


# --- what is refused ---------------------------------------------------------------------------------

def npz(**members: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **members)
    return buffer.getvalue()


def header(digest: str = "d" * 64, kind: str = "names", **extra) -> np.ndarray:
    import json

    text = json.dumps({"format": artifact_format.FORMAT, "kind": kind, "digest": digest, "doc": {}, "strings": {},
                       **extra})
    return np.frombuffer(text.encode(), dtype=np.uint8)


def test_a_pickle_in_place_of_an_artifact_never_runs(tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(artifact_format.Refused):
        artifacts.decode(pickle.dumps(Hostile(marker)), "names", "d" * 64)
    assert not marker.exists()


def test_a_pickled_object_array_inside_a_well_formed_archive_never_runs(tmp_path):
    marker = tmp_path / "ran"
    hostile = np.array([Hostile(marker)], dtype=object)
    blob = npz(header=header(), **{"array.rows": hostile})
    with pytest.raises(artifact_format.Refused):
        artifacts.decode(blob, "names", "d" * 64)
    assert not marker.exists()


def test_nothing_on_the_load_path_unpickles_or_evaluates():
    """The modules that store and load artifacts import no deserializer that runs code, call no eval
    or exec, and never allow numpy to unpickle."""
    import ast

    from chalicelib.avatars import index as bank_module
    from chalicelib.names import index as name_module, index_artifact, index_build, keytable, near_copies
    from chalicelib.rumours import minhash

    for module in (artifacts, name_module, index_artifact, index_build, keytable, near_copies, bank_module, minhash):
        tree = ast.parse(Path(module.__file__).read_text())
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & {"pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}, module.__name__
        called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not called & {"eval", "exec", "__import__"}, module.__name__
        allowing = [k for n in ast.walk(tree) if isinstance(n, ast.keyword) and n.arg == "allow_pickle"
                    for k in [n.value] if not (isinstance(k, ast.Constant) and k.value is False)]
        assert allowing == [], module.__name__


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty", "random"])
def test_a_damaged_artifact_is_refused(damage):
    blob = stored(NameIndex.build(lexicon(), "v"))
    middle = len(blob) // 2
    damaged = {"truncated": blob[:middle], "flipped": blob[:middle] + bytes([blob[middle] ^ 0xFF]) + blob[middle + 1:],
               "empty": b"", "random": random.Random(1).randbytes(4096)}[damage]
    with pytest.raises(artifact_format.Refused):
        loaded(NameIndex, damaged)


def test_an_artifact_whose_embedded_digest_is_not_its_name_is_refused():
    blob = stored(NameIndex.build(lexicon(), "v"), digest="a" * 64)
    with pytest.raises(artifact_format.Refused, match="embedded digest"):
        artifacts.decode(blob, "names", "b" * 64)


def test_an_artifact_of_another_kind_or_format_is_refused():
    blob = stored(BankIndex.build("1", [], []), kind="avatars")
    with pytest.raises(artifact_format.Refused, match="kind"):
        artifacts.decode(blob, "names", "d" * 64)
    with pytest.raises(artifact_format.Refused, match="format"):
        artifacts.decode(npz(header=header(format="npz-json/0")), "names", "d" * 64)


def test_a_compressed_member_that_would_inflate_past_the_object_is_refused():
    buffer = io.BytesIO()
    np.savez_compressed(buffer, header=header(), **{"array.big": np.zeros(50_000_000, dtype=np.uint8)})
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(artifact_format.Refused, match="compressed"):
        artifacts.decode(buffer.getvalue(), "names", "d" * 64)


def test_an_archive_with_an_object_header_or_no_header_is_refused():
    for blob in (npz(other=np.zeros(3)), npz(header=np.frombuffer(b"[1, 2]", dtype=np.uint8))):
        with pytest.raises(artifact_format.Refused):
            artifacts.decode(blob, "names", "d" * 64)


def test_a_string_list_of_another_length_than_stored_is_refused():
    blob = artifacts.encode("names", "d" * 64, {}, {"ids": ["a", "b"]})
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["header.npy"] = members["header.npy"].replace(b'"ids":2', b'"ids":3')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(artifact_format.Refused, match="3 were stored"):
        artifacts.decode(out.getvalue(), "names", "d" * 64)


def test_parts_that_do_not_fit_together_are_refused_by_the_index():
    built = NameIndex.build(lexicon(), "v")
    doc, parts = built.to_artifact()
    parts["automaton.numbers"] = parts["automaton.numbers"] + len(built.rows)  # entries past the end
    with pytest.raises(ValueError):
        loaded(NameIndex, artifacts.encode("names", "d" * 64, doc, parts))
    bank = BankIndex.build("1", ["a", "b"], [bytes(32), bytes(32)])
    doc, parts = bank.to_artifact()
    parts["words"] = parts["words"][:1]
    with pytest.raises(ValueError):
        loaded(BankIndex, artifacts.encode("avatars", "d" * 64, doc, parts), "avatars")


# --- digests -----------------------------------------------------------------------------------------

def test_the_rows_digest_ignores_order_and_sees_every_value():
    rows = [{"PK": "T#a#NAMES", "SK": "TERM#1", "name": "高仿", "n": 3, "tags": ["x", "y"]},
            {"PK": "T#a#NAMES", "SK": "TERM#2", "name": "代开", "raw": b"\x00\x01", "none": None}]
    shuffled = [dict(reversed(list(row.items()))) for row in reversed(rows)]
    assert artifacts.rows_digest(rows) == artifacts.rows_digest(shuffled)
    for changed in ({**rows[0], "name": "高仿 "}, {**rows[0], "n": 4}, {**rows[0], "tags": ["y", "x"]}):
        assert artifacts.rows_digest([changed, rows[1]]) != artifacts.rows_digest(rows)
    assert artifacts.rows_digest(rows[:1]) != artifacts.rows_digest(rows)


def test_an_artifact_digest_names_kind_tenant_code_and_rows():
    base = ("names", "acme", "i4.norm-1.x", "r" * 64)
    digests = {artifacts.artifact_digest(*base)}
    for position, other in enumerate(("avatars", "zeta", "i5.norm-1.x", "s" * 64)):
        digests.add(artifacts.artifact_digest(*base[:position], other, *base[position + 1:]))
    assert len(digests) == 5
