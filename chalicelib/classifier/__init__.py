"""A tenant's vendor classifier behind the post and avatar checks (BJ2011-10, MB2018-12, PA2020-8, PA2020-18)."""
