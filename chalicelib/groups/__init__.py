"""Internet groups (GR2017-6, GR2017-7, GR2017-8, GR2017-11): founding, membership, roles, caps."""
