"""Which matches a scene lets stand (core/scenes.py; PA2020-8, PA2020-18, BJ2011-10, PA2017-13).

Applied to what the matcher found, before the evidence is weighed (names/evidence.py), never inside the
matcher: an entry limited to other scenes, a term of a category or action not in force, and a match on a
channel the scene turns off are no hit there, and so decide nothing, hold no other hit back and take no
place in a post's listing. An allow-list phrase limited to other scenes allows nothing there; one limited to none
holds in every scene, on every channel.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.core.scenes import DIRECT_CHANNELS, Scene
from chalicelib.names.check import channel_of
from chalicelib.names.index import ALLOW, TERM, Entry, Matches, NameIndex


def post_filter(scene: Scene, index: NameIndex, text: str) -> Callable[[Matches, str], Matches]:
    """For names/post.py: the matches of one pass (`direct`, `numeric`, `pinyin`) that count in `scene`. Read off
    the index's columns per distinct entry matched; a scene that limits no term leaves a pass whose entries are
    limited to no scene as it is."""
    direct_off = any(not scene.on(channel) for channel in DIRECT_CHANNELS)
    limits_terms = scene.categories is not None or scene.actions is not None

    def kept(found: Matches, channel: str) -> Matches:
        import numpy as np

        if not len(found.numbers):
            return found
        if channel != "direct" and not scene.on(channel):
            return Matches(found.starts[:0], found.ends[:0], found.numbers[:0])
        numbers, local = np.unique(found.numbers, return_inverse=True)
        listed, local = numbers.tolist(), local.reshape(-1)
        limits = index.field("scenes", listed)
        if not (limits_terms or any(limits) or (channel == "direct" and direct_off)):
            return found
        kinds, categories, actions = (index.field(name, listed) for name in ("kind", "category", "action"))
        admitted = [scene.admits(limit) and (kind != TERM or scene.in_force(category, action))
                    for kind, limit, category, action in zip(kinds, limits, categories, actions, strict=True)]
        keep = np.array(admitted, dtype=bool)[local]
        if channel == "direct" and direct_off:  # only then is each direct match's channel told apart
            keep &= np.array([_direct_on(scene, text, index.entry(listed[i]), s, e) if keep[n] else False
                              for n, (i, s, e) in enumerate(zip(local.tolist(), found.starts.tolist(),
                                                                found.ends.tolist(), strict=True))], dtype=bool)
        return Matches(found.starts[keep], found.ends[keep], found.numbers[keep])

    return kept


def _direct_on(scene: Scene, text: str, entry: Entry, start: int, end: int) -> bool:
    return entry.kind == ALLOW or scene.on(channel_of(text[start:end], entry))
