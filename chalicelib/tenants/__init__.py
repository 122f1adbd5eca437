"""Tenants (one per platform) and their API keys, the tenant's policy, health and the OpenAPI document."""
