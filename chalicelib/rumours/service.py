"""Rumour dispelling (MB2018-11, PA2020-13): known rumours with their refutations, matched in posts,
traced back to the accounts that spread them, with an early warning when they spread fast.

The rumours' texts and images are compiled into one index per version of the tenant's rumour
set (a GetItem per match tells whether the container's index is current; the index is stored
as an artifact named by the digest of the rumours it holds, see core/artifacts.py). A match
that names the account and content is a sighting: kept on the rumour, counted per hour for the
early warning, and the start of tracing back, with the log events that carry the same content
hash (MB2018-16 logs), earliest first.
"""

from __future__ import annotations

from typing import Any

from chalicelib.avatars import checks as avatars
from chalicelib.core import artifacts, audit_events as audit, clock, ids, policy, scenes, stores
from chalicelib.core.observability import metrics
from chalicelib.logs import service as logs
from chalicelib.rumours import store as storage


def fingerprint() -> str:
    from chalicelib.avatars.index import FORMAT as BANK_FORMAT
    from chalicelib.rumours.minhash import FORMAT

    return f"{FORMAT}.{BANK_FORMAT}"


def _restored(doc: dict[str, Any], arrays: dict[str, Any], version: str) -> Any:
    from chalicelib.rumours.minhash import RumourIndex

    return RumourIndex.from_artifact(doc, arrays, version)


_compiled = artifacts.Compiled("rumours", _restored, fingerprint, limit=4)


def forget() -> None:
    _compiled.clear()


def register(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    rumour_id = ids.new(ids.Kind.RUMOUR)
    hashed = [avatars.hashed(tenant_id, image, centre=True) for image in body.get("images", [])]
    images = [h.found.to_hex() for h in hashed]
    rumour = {"rumour_id": rumour_id, "claim": body["claim"], "samples": body.get("samples", []), "image_pdqs": images,
              # each image's centre (none when given as a hash): cropped copies match as for avatars (MB2018-11)
              "image_centres": [h.centre.to_hex() if h.centre is not None else "" for h in hashed],
              "refutation": body["refutation"], "status": body.get("status", "ACTIVE"),
              "category": body.get("category"),
              "created_at": clock.iso()}
    store = storage.store()
    store.commit(tenant_id, store.registration_ops(tenant_id, rumour), audit.event(
        tenant_id, "rumour.register", rumour_id=rumour_id, samples=len(rumour["samples"]), images=len(images)))
    return view(rumour)


def require(tenant_id: str, rumour_id: str) -> dict[str, Any]:
    return ids.require(ids.Kind.RUMOUR, rumour_id, lambda i: storage.store().rumour(tenant_id, i))


def compiled(tenant_id: str) -> Any:
    from chalicelib.avatars.index import BankIndex
    from chalicelib.rumours.minhash import RumourIndex

    source = artifacts.Source.read(stores.main_table(), storage.store().version_key(tenant_id))
    version = str(source.number)

    def build() -> tuple[RumourIndex, str | None]:
        read = storage.store().all_rumours(tenant_id)
        items = [i for i in read if i.get("status") == "ACTIVE"]
        index = RumourIndex.build(version,
                                  [(i["rumour_id"], text) for i in items for text in [i["claim"], *i["samples"]]])
        index.rumours = {i["rumour_id"]: view(i) for i in items}
        pairs = [(i["rumour_id"], pdq, centre) for i in items
                 for pdq, centre in zip(i.get("image_pdqs", []), _centres(i), strict=True)]
        index.images = BankIndex.build(version, [r for r, _, _ in pairs], [bytes.fromhex(p) for _, p, _ in pairs],
                                       avatars.crop_table([c for _, _, c in pairs]))
        # A GSI is read eventually consistent, and each registration bumps the version once: fewer rumours
        # than the version counts means a registration is not visible yet, so this index answers this
        # call only, and is neither kept nor stored under a version it does not hold.
        return index, artifacts.rows_digest(read) if len(read) >= source.number else None

    return _compiled.get(tenant_id, version, source, build)


def match(tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Known rumours in a post, under the policy scene `body["scene"]` (none: DEFAULT): its avatar_distance, if
    set, is the images' match distance, and its CHECK case records it (core/scenes.py)."""
    scene = scenes.resolve(policy.setting(tenant_id, "scenes"), body.get("scene"))
    settings = policy.current(tenant_id).effective["rumours"]
    index = compiled(tenant_id)
    found: dict[str, dict[str, Any]] = {}
    if body.get("text"):
        for rumour_id, similarity in index.match(body["text"], settings["match_similarity"]).items():
            found[rumour_id] = {"rumour_id": rumour_id, "channel": "text", "similarity": similarity}
    threshold = scene.distance(policy.setting(tenant_id, "avatars", "match_distance"))
    for image in body.get("images", []):
        # insets: a cropped (or mirrored and cropped) copy matches its rumour's image as it would a bank entry
        for row, distance, _ in avatars.index_matches(index.images, avatars.hashed(tenant_id, image, insets=True),
                                                      threshold):
            rumour_id = index.images.ids[row]
            found.setdefault(rumour_id, {"rumour_id": rumour_id, "channel": "image", "distance": distance})
    matches = [{**m, "claim": index.rumours[m["rumour_id"]]["claim"],
                "refutation": index.rumours[m["rumour_id"]]["refutation"], "article": "MB2018-11"}
               for m in sorted(found.values(), key=lambda m: -m.get("similarity", 1.0))]
    alerts = ([record_sighting(tenant_id, m["rumour_id"], body, settings) for m in matches]
              if body.get("account_id") else [])
    answer = {"matched": bool(matches), "matches": matches, "sightings_recorded": len(alerts),
              "alerts_raised": sum(alerts), "rumour_set_version": index.version}
    return {**answer, "scene": scene.view()} if "scene" in body else answer  # no scene: as before


def _centres(rumour: dict[str, Any]) -> list[str]:
    """The rumour's image centres, one per image hash ("" for none: images registered before centres were kept,
    or given as hashes)."""
    centres = list(rumour.get("image_centres") or [])
    return (centres + [""] * len(rumour.get("image_pdqs", [])))[:len(rumour.get("image_pdqs", []))]


def record_sighting(tenant_id: str, rumour_id: str, body: dict[str, Any], settings: dict[str, Any]) -> bool:
    """Record who published a match; count it in its hour; raise the hour's alert once at the rate."""
    at = body.get("at") or clock.iso()
    store = storage.store()
    store.add_sighting(tenant_id, rumour_id, {"account_id": body["account_id"], "content_id": body.get("content_id"),
                                              "content_sha256": body.get("content_sha256"), "at": at})
    hour = clock.iso()[:13]
    count = store.count_in_hour(tenant_id, rumour_id, hour, int(clock.now_epoch()))
    if count != settings["alert_per_hour"]:
        return False
    alert = {"rumour_id": rumour_id, "hour": hour, "sightings": count, "raised_at": clock.iso(),
             "threshold_per_hour": settings["alert_per_hour"]}
    if not store.raise_alert(tenant_id, alert):
        return False
    from aws_lambda_powertools.metrics import MetricUnit

    metrics.add_metric(name="RumourAlerts", unit=MetricUnit.Count, value=1)
    return True


def spread(tenant_id: str, rumour_id: str, limit: int) -> dict[str, Any]:
    """MB2018-11 tracing back: sightings and the log events with the same content, earliest first."""
    rumour = require(tenant_id, rumour_id)
    sightings = storage.store().sightings(tenant_id, rumour_id)
    events = [{"account_id": s["account_id"], "at": s["at"], "source": "match", "content_id": s.get("content_id"),
               "content_sha256": s.get("content_sha256")} for s in sightings]
    for digest in sorted({s["content_sha256"] for s in sightings if s.get("content_sha256")}):
        events += [{"account_id": e["account_id"], "at": e["at"], "source": f"log:{e['type']}",
                    "content_id": e.get("content_ref"), "content_sha256": digest} for e in logs.by_content(
                        tenant_id, digest, limit)]
    events.sort(key=lambda e: (e["at"], e["account_id"]))
    accounts: dict[str, dict[str, Any]] = {}
    for event in events:
        accounts.setdefault(event["account_id"], {"account_id": event["account_id"], "first_at": event["at"],
                                                  "events": 0})["events"] += 1
    ordered = sorted(accounts.values(), key=lambda a: a["first_at"])[:limit]
    return {"rumour_id": rumour_id, "claim": rumour["claim"], "first_publisher": ordered[0] if ordered else None,
            "accounts": ordered, "events": [{k: v for k, v in e.items() if v is not None} for e in events[:limit]],
            "suggested_ground": {"article": "MB2018-11", "category": "RUMOUR"}}


def alerts(tenant_id: str, limit: int, cursor: str | None) -> dict[str, Any]:
    items, next_cursor = storage.store().alerts_page(tenant_id, limit, cursor)
    fields = ("rumour_id", "hour", "sightings", "raised_at", "threshold_per_hour")
    return {"items": [{k: i[k] for k in fields} for i in items], "next_cursor": next_cursor}


def view(rumour: dict[str, Any]) -> dict[str, Any]:
    return {k: rumour[k] for k in ("rumour_id", "claim", "samples", "image_pdqs", "refutation", "status", "category",
                                   "created_at") if rumour.get(k) is not None}
