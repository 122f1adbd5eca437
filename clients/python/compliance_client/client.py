"""The client: every operation of the API as a method (operations.py, generated), over BaseClient."""

from __future__ import annotations

from compliance_client.operations import API_VERSION, Operations


class Client(Operations):
    """``Client(base_url, api_key)``; ``Client(..., actor="reviewer-7")`` sends X-Actor on every call.

    A method answers the decoded JSON body, typed by its model in compliance_client.models (a TypedDict: a
    plain dict at run time); an error answer raises an ApiError subclass carrying
    ``status``, ``code``, ``message``, ``message_zh``, ``details`` and ``request_id``. Listings have an
    ``iter_...`` twin that follows ``next_cursor`` to the end.
    """

    api_version = API_VERSION
