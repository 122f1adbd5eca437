"""The tenant's tamper-evident audit trail as the API shows it (GR2017-11, PA2017-11, PA2017-13)."""
