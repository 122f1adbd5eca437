"""User log events kept at least six months (MB2018-16, GR2017-13, PA2017-16)."""
