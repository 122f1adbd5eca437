"""Compliance API for Chinese social platforms: the table of contents.

One Blueprint per capability, each in its own folder under chalicelib/; the middleware gives
every request its id, structured logs, metrics and the error envelope; chalicelib/jobs.py
holds the scheduled sweeps.
"""

from chalice import Chalice

from chalicelib import jobs
from chalicelib.accounts import routes as accounts, transfer_routes as transfers
from chalicelib.audit import routes as audit
from chalicelib.avatars import routes as avatars
from chalicelib.console import routes as console
from chalicelib.content import routes as content
from chalicelib.core.middleware import http_middleware
from chalicelib.dispositions import routes as dispositions
from chalicelib.docs import routes as docs
from chalicelib.filings import routes as filings
from chalicelib.groups import routes as groups
from chalicelib.identity import routes as identity
from chalicelib.logs import routes as logs
from chalicelib.metrics import routes as metrics
from chalicelib.names import routes as names
from chalicelib.reports import routes as reports
from chalicelib.rumours import routes as rumours
from chalicelib.tenants import meta_routes as meta, policy_routes as policy, routes as api_keys

BLUEPRINTS = (meta.bp, policy.bp, api_keys.bp, identity.bp, names.bp, dispositions.bp, audit.bp, logs.bp, accounts.bp,
              transfers.bp, groups.bp, reports.bp, filings.bp, avatars.bp, content.bp, rumours.bp, metrics.bp)

app = Chalice(app_name="compliance-api")
app.register_middleware(http_middleware, "http")
for blueprint in BLUEPRINTS:
    app.register_blueprint(blueprint)
app.register_blueprint(jobs.bp)
app.register_blueprint(console.bp)  # the console's pages: not API operations (core/openapi.py)
app.register_blueprint(docs.bp)  # the interactive API documentation at /docs: not an API operation either
