"""Compliance API for Chinese social platforms: the table of contents.

Each capability is one Blueprint under chalicelib/api/; the middleware gives every request
its id, structured logs, metrics and the error envelope; chalicelib/jobs.py holds the
scheduled sweeps.
"""

from chalice import Chalice

from chalicelib import jobs
from chalicelib.api import BLUEPRINTS
from chalicelib.middleware import http_middleware

app = Chalice(app_name="compliance-api")
app.register_middleware(http_middleware, "http")
for blueprint in BLUEPRINTS:
    app.register_blueprint(blueprint)
app.register_blueprint(jobs.bp)
