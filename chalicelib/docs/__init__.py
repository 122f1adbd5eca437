"""Interactive API documentation at /docs: the live OpenAPI document in Swagger UI, shipped with the app."""
