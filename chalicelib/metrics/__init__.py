"""Account counters over time and the detection of fabricated numbers (PA2020-12)."""
