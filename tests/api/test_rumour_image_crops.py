"""A rumour's image found in a post when cropped, or mirrored and cropped, as avatar banks find their entries
(MB2018-11): the same insets and centres (chalicelib/avatars/crops.py), not a copy of them."""

from __future__ import annotations

import base64

from PIL import ImageOps

from tests.api.test_rumours import known_rumour, match
from tests.images import encode
from tests.photos import crop, photo


def inline(picture) -> dict[str, str]:
    return {"image": base64.b64encode(encode(picture, "JPEG", quality=85)).decode()}


def test_a_cropped_or_mirrored_and_cropped_copy_of_a_rumours_image_matches_it(api, tenant):
    # GIVEN a rumour registered with a photograph
    picture = photo(77, (448, 448))
    rumour = known_rumour(api, tenant.key, images=[inline(picture)])
    assert "image_centres" not in rumour  # kept for matching, not answered
    for copy in (crop(picture, 0.08, 0.08, 0.08, 0.08), ImageOps.mirror(crop(picture, 0.05, 0.05, 0.05, 0.05))):
        # WHEN a post carries the copy cut by 8 % a side, or mirrored and cut by 5 %
        answer = match(api, tenant.key, images=[inline(copy)]).json
        # THEN it matches the rumour on the image channel
        assert [(m["rumour_id"], m["channel"]) for m in answer["matches"]] == [(rumour["rumour_id"], "image")]


def test_an_unrelated_photograph_and_a_rumour_registered_by_hash_do_not_match_through_insets(api, tenant):
    from chalicelib.avatars import images, pdq

    # GIVEN a rumour whose image was given as a hash (it has no centre)
    picture = photo(78, (448, 448))
    luma = images.decode(encode(picture, "JPEG", quality=85), max_bytes=10**7, max_pixels=10**7).luma
    known_rumour(api, tenant.key, images=[{"pdq": pdq.hash_luma(luma)[0].to_hex()}])
    # WHEN a post carries an unrelated photograph, or the rumour's picture cropped
    for other in (photo(79, (448, 448)), crop(picture, 0.08, 0.08, 0.08, 0.08)):
        # THEN nothing matches (a hash alone has no centre to find a crop by)
        assert match(api, tenant.key, images=[inline(other)]).json["matches"] == []
