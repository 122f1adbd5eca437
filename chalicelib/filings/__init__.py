"""Filings with the internet information offices (MB2018-9/10, GR2017-7/11, PA2017-7/13, PA2020-7/19)."""
