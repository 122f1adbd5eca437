"""A tenant's vendor classifier behind the post check's answer (BJ2011-10, MB2018-12, PA2020-18)."""
