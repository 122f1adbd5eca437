"""Reports, cases, decisions, reporters and appeals (MB2018-14, GR2017-12, PA2017-15, PA2020-20, BJ2011-13)."""
