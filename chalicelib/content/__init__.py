"""Prohibited content in posts and the record of actions taken (BJ2011-10, MB2018-12)."""
