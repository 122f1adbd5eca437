"""Dispositions, credit levels and blacklists (GR2017-7, GR2017-11, PA2017-13, PA2020-13, PA2020-19)."""
