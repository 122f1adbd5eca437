"""The labelled set behind the README's quality table: evasions caught, ordinary names left alone."""

from __future__ import annotations

from bench.bench_names import quality


def test_every_evasion_kind_is_caught_and_ordinary_names_pass():
    per_kind, ours_fp, _ = quality()
    for kind, (caught, _typical, total) in per_kind.items():
        assert caught / total >= 0.95, f"{kind}: {caught}/{total}"
    assert ours_fp <= 0.01
