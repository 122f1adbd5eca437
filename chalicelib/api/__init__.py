"""One Blueprint per capability; app.py registers every one listed here."""

from __future__ import annotations

from chalicelib.api import (accounts, api_keys, audit, avatars, content, dispositions, filings, groups, identity, logs,
                            meta, metrics, names, policy, reports, rumours, transfers)

BLUEPRINTS = (meta.bp, policy.bp, api_keys.bp, identity.bp, names.bp, dispositions.bp, audit.bp, logs.bp, accounts.bp,
              transfers.bp, groups.bp, reports.bp, filings.bp, avatars.bp, content.bp, rumours.bp,
              metrics.bp)
