"""Account name, nickname, group name and description checks (PA2020-8, PA2020-18, BJ2011-10, PA2017-13)."""
