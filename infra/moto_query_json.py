"""A Query's answer on the `make run` stack's moto server, its items written as JSON directly.

moto writes a Query's answer through its generic serializer, attribute by attribute along the output shape:
a 1 MB page of a lexicon took it about 5 s, past the client's read timeout, and the retries piled up on the
server (a name check after a 6,000-entry import answered 503 after 20 s). Here the items are written as
JSON directly (binary values in base64, as the protocol has them) and the rest of the answer is moto's.
"""

from __future__ import annotations

import base64
import json
from typing import Any


def install() -> None:
    """A Query's items written as JSON directly: moto's serializer walks every attribute of every item through
    the output shape, 4 s and more for a 1 MB page; the rest of the answer is still moto's own."""
    from moto.core.responses import ActionResult
    from moto.dynamodb.responses import DynamoHandler

    if hasattr(DynamoHandler.query, "moto_query_handler"):
        return
    handler = DynamoHandler.query

    class ItemsAnswer(ActionResult):
        def execute_result(self, context: Any) -> Any:
            answer = self.result
            if not isinstance(answer, dict) or not isinstance(answer.get("Items"), list):
                return super().execute_result(context)
            rest = {k: v for k, v in answer.items() if k != "Items"}
            status, headers, body = ActionResult(rest).execute_result(context)
            return status, headers, json.dumps({**json.loads(body), "Items": answer["Items"]}, default=_blob)

    def query(self: Any) -> Any:
        answer = handler(self)
        return ItemsAnswer(answer.result) if type(answer).__name__ == "DynamoResult" else answer

    query.moto_query_handler = handler  # type: ignore[attr-defined]
    DynamoHandler.query = query  # type: ignore[method-assign]


def _blob(value: Any) -> str:
    """A binary attribute (B, BS) as the JSON protocol writes it: base64."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON")
