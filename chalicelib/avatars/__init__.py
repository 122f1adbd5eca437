"""Avatar checks against protected and banned image banks (PA2020-8, PA2020-18(1), PA2017-13):
PDQ hashing and matching."""
