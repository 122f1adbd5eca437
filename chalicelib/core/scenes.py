"""Scenes: the rules a check runs under, by where the platform shows what it checks (PA2020-8, PA2020-18,
MB2018-12, PA2017-13). Pure: no AWS, no I/O.

A platform checks a nickname, a group name, a comment and a private message under different rules (the
commercial moderation services all key their policy by scene). Policy ``scenes`` names them; each says

- ``terms``: the term categories and the term actions in force there (absent: all); a term of another category,
  or whose own action is not in force (a scene that acts on REJECT terms only), finds nothing there. Its
  ``set_action`` rules raise or lower what a term in force asks for there: each names a ``category``, the term's
  own ``action`` or both (neither: every term) and the action it sets (``to``); the first rule that matches a term
  decides, the hit names it (the scene, the rule's field, the term's own action), and a weak channel's hit stays
  REVIEW (a reading is evidence, not proof), the way the commercial services key a label's suggestion by scene;
- ``names``: its ``set_action`` rules do the same for protected and banned names (PA2020-8, PA2017-13): each names
  a ``list`` (``protected`` or ``banned``), a hit ``category`` (a protected kind, or REREGISTRATION), the action
  the name asks for in the checked field without the scene (``action``: REJECT in a name, REVIEW in a description
  or inside a longer name), any of them or none, and ``to``: REVIEW or REJECT, never PASS (an impersonation or a
  re-registration is always seen by someone; a name that should find nothing in a scene is an entry limited to
  other scenes). An owner's exemption stands in every scene: an owner's own name is no hit, so no rule meets it;
- ``channels``: a channel set to false is off there (``normalized``, ``skeleton``, ``separator``, ``numeric``,
  ``pinyin``, ``similar``, ``contact``, ``classifier``); ``exact`` is always on;
- ``avatar_distance``: the PDQ match distance of avatar and post-image checks (avatars.match_distance otherwise);
- ``contact_diversion``: REVIEW or REJECT for a contact that moves users off the platform (names./content.
  contact_diversion otherwise: the platform's own rules, PA2020-18(7) where it is paid diversion);
- ``classifier_required``: a vendor classifier that cannot answer gives REVIEW there (content.classifier.required
  otherwise).

A check without ``scene`` (or with ``default``) runs under DEFAULT, which changes nothing: today's answer. A
lexicon entry may be limited to scenes (``default`` naming checks without one); limited to others, it finds
nothing (an allow-list phrase allows nothing). A check's scene is also what its CHECK case records (and an
account's or group's name_check, when registration or founding names one) and what reviews.due_hours may be
keyed by.

Why core and not a capability: names, posts, avatars, the classifier and reviews each apply the one resolved
scene, and the policy's validation (core/policy.py) checks it; core is what they all may import.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from chalicelib.core.errors import Unprocessable

DEFAULT = "default"  # the scene of a check that names none; no policy scene may take the name
# The channels a scene may switch off: every channel of names/evidence.py but `exact`, and the classifier's.
CHANNELS = ("normalized", "skeleton", "separator", "numeric", "pinyin", "similar", "contact", "classifier")
DIRECT_CHANNELS = ("exact", "normalized", "skeleton", "separator")  # one automaton pass, told apart per hit
ACTIONS = ("REVIEW", "REJECT")
# names.set_action: the lexicon lists a rule may name (the kinds of entry a name hit is on), and the category
# a banned name's hit reports (names/check.py)
NAME_LISTS = ("protected", "banned")
BANNED_CATEGORY = "REREGISTRATION"
# reviews.due_hours keys besides DEFAULT and the tenant's scenes: a name check's field, or the check's kind
# (reports/review_rules.py ReviewScene; a unit test holds the two equal).
REVIEW_SCENES = ("account_name", "nickname", "group_name", "description", "avatar", "post", "rumour")


@lru_cache(maxsize=1)
def term_categories() -> tuple[str, ...]:
    """The lexicon's term categories (BJ2011-10 (1)-(11), PA2020-18 (2)-(8)), as the schemas list them."""
    from chalicelib.core.validation import all_schemas

    return tuple(all_schemas()["common.json"]["$defs"]["TermCategory"]["enum"])


@lru_cache(maxsize=1)
def protected_kinds() -> tuple[str, ...]:
    """The categories a protected name's hit reports (PA2020-8), as the schemas list them."""
    from chalicelib.core.validation import all_schemas

    return tuple(all_schemas()["common.json"]["$defs"]["ProtectedKind"]["enum"])


def name_categories(listed: str | None) -> tuple[str, ...]:
    """The hit categories of a names.set_action rule on `listed` (None: either list)."""
    return (() if listed == "banned" else protected_kinds()) + (() if listed == "protected" else (BANNED_CATEGORY,))


@dataclass(frozen=True)
class Scene:
    """One scene's rules, resolved; DEFAULT (name None) changes nothing."""

    name: str | None = None
    categories: frozenset[str] | None = None
    actions: frozenset[str] | None = None
    off: frozenset[str] = field(default_factory=frozenset)
    avatar_distance: int | None = None
    contact_diversion: str | None = None
    classifier_required: bool | None = None
    set_action: tuple[tuple[str | None, str | None, str], ...] = ()  # (category, own action, action set), in order
    # names.set_action: (list, hit category, the name's own action, action set), in order
    names_set_action: tuple[tuple[str | None, str | None, str | None, str], ...] = ()

    @property
    def label(self) -> str:
        return self.name or DEFAULT

    def on(self, channel: str) -> bool:
        return channel not in self.off

    def admits(self, limited_to: tuple[str, ...] | list[str] | None) -> bool:
        """An entry limited to scenes (none: every scene) finds something in this one."""
        return not limited_to or self.label in limited_to

    def in_force(self, category: str, action: str) -> bool:
        """A term of `category` whose own action is `action` counts here."""
        return (self.categories is None or category in self.categories) and (
            self.actions is None or action in self.actions)

    def term_action(self, category: str, action: str) -> tuple[str, str | None]:
        """What a term of `category` whose own action is `action` asks for here, and the field of the set_action
        rule that set it (None: no rule matched, its own action)."""
        for number, (of_category, of_action, to) in enumerate(self.set_action):
            if (of_category is None or of_category == category) and (of_action is None or of_action == action):
                return to, f"scenes.{self.label}.terms.set_action[{number}]"
        return action, None

    def name_action(self, listed: str, category: str, action: str) -> tuple[str, str | None]:
        """What a hit on a name of `listed` (protected, banned) reporting `category`, asking for `action` in its
        field, asks for here, and the field of the names.set_action rule that set it (None: no rule matched)."""
        for number, (of_list, of_category, of_action, to) in enumerate(self.names_set_action):
            if of_list in (None, listed) and of_category in (None, category) and of_action in (None, action):
                return to, f"scenes.{self.label}.names.set_action[{number}]"
        return action, None

    def contact_action(self, policy_action: str) -> str | None:
        """What a contact asks for here; None when the contact channel is off."""
        return (self.contact_diversion or policy_action) if self.on("contact") else None

    def distance(self, policy_distance: int) -> int:
        return policy_distance if self.avatar_distance is None else self.avatar_distance

    def classifier(self, required: bool) -> tuple[bool, bool]:
        """(whether the classifier is asked here, whether one that cannot answer gives REVIEW)."""
        return self.on("classifier"), required if self.classifier_required is None else self.classifier_required

    def view(self) -> dict[str, Any]:
        """What an answer says of the scene applied: its name and every rule it set."""
        shown: dict[str, Any] = {"name": self.label}
        if self.categories is not None:
            shown["categories"] = sorted(self.categories)
        if self.actions is not None:
            shown["actions"] = sorted(self.actions)
        if self.set_action:
            shown["set_action"] = [{**({"category": c} if c else {}), **({"action": a} if a else {}), "to": to}
                                   for c, a, to in self.set_action]
        if self.names_set_action:
            shown["names_set_action"] = [
                {**({"list": n} if n else {}), **({"category": c} if c else {}), **({"action": a} if a else {}),
                 "to": to} for n, c, a, to in self.names_set_action]
        if self.off:
            shown["channels_off"] = sorted(self.off)
        for name in ("avatar_distance", "contact_diversion", "classifier_required"):
            if getattr(self, name) is not None:
                shown[name] = getattr(self, name)
        return shown


DEFAULT_SCENE = Scene()


def resolve(scenes: Mapping[str, Any], name: str | None) -> Scene:
    """The scene a check named (policy ``scenes``), DEFAULT when it named none; 422 SCENE_UNKNOWN otherwise."""
    if name is None or name == DEFAULT:
        return DEFAULT_SCENE
    rules = scenes.get(name)
    if not isinstance(rules, Mapping):
        raise Unprocessable(f"No scene {name!r} in the tenant's policy.", message_zh=f"租户策略中没有场景 {name!r}。",
                            code="SCENE_UNKNOWN", details={"scene": name, "known": [DEFAULT, *sorted(scenes)]})
    terms = rules.get("terms") or {}
    categories, actions = terms.get("categories"), terms.get("actions")
    set_action = tuple((rule.get("category"), rule.get("action"), rule["to"]) for rule in terms.get("set_action") or ())
    names_set_action = tuple((rule.get("list"), rule.get("category"), rule.get("action"), rule["to"])
                             for rule in (rules.get("names") or {}).get("set_action") or ())
    return Scene(name, None if categories is None else frozenset(categories),
                 None if actions is None else frozenset(actions),
                 frozenset(c for c, on in (rules.get("channels") or {}).items() if on is False),
                 rules.get("avatar_distance"), rules.get("contact_diversion"), rules.get("classifier_required"),
                 set_action, names_set_action)


def known(scenes: Mapping[str, Any], names: list[str] | tuple[str, ...]) -> None:
    """Scenes a lexicon entry is limited to must exist (or be ``default``): 422 SCENE_UNKNOWN otherwise."""
    for name in names:
        resolve(scenes, name)


def validate(effective: Mapping[str, Any]) -> None:
    """A policy's scenes against the known categories, actions and channels, and reviews.due_hours against the
    scenes there are: 422 POLICY_SCENE_INVALID naming the first field that is not (the schema bounds the rest)."""
    for path, value, allowed in _problems(effective):
        raise Unprocessable(f"{path} is {value!r}, which is not one of the allowed values.",
                            message_zh=f"策略字段 {path} 的取值 {value!r} 不在允许范围内。",
                            code="POLICY_SCENE_INVALID", details={"field": path, "value": value,
                                                                  "allowed": list(allowed)})


def _problems(effective: Mapping[str, Any]) -> Iterator[tuple[str, Any, tuple[Any, ...]]]:
    scenes: Mapping[str, Any] = effective.get("scenes") or {}
    categories = term_categories()
    for name, rules in scenes.items():
        at = f"scenes.{name}"
        if name == DEFAULT:
            yield at, name, ("a name other than default",)
        terms = rules.get("terms") or {}
        for n, category in enumerate(terms.get("categories") or ()):
            if category not in categories:
                yield f"{at}.terms.categories[{n}]", category, categories
        for n, action in enumerate(terms.get("actions") or ()):
            if action not in ACTIONS:
                yield f"{at}.terms.actions[{n}]", action, ACTIONS
        yield from _set_action_problems(f"{at}.terms.set_action", terms, categories)
        yield from _names_set_action_problems(f"{at}.names.set_action", rules.get("names") or {})
        for channel in rules.get("channels") or {}:
            if channel not in CHANNELS:
                yield f"{at}.channels.{channel}", channel, CHANNELS
        if rules.get("classifier_required") and (rules.get("channels") or {}).get("classifier") is False:
            yield f"{at}.classifier_required", True, (False,)  # a classifier both off and required
    keys = ("DEFAULT", *REVIEW_SCENES, *scenes)
    for key in (effective.get("reviews") or {}).get("due_hours") or {}:
        if key not in keys:
            yield f"reviews.due_hours.{key}", key, keys


def _set_action_problems(at: str, terms: Mapping[str, Any],
                         categories: tuple[str, ...]) -> Iterator[tuple[str, Any, tuple[Any, ...]]]:
    """A set_action rule must name known values, and only a category and action in force in its scene (a rule on
    terms that find nothing there would never apply)."""
    listed, acted = terms.get("categories"), terms.get("actions")
    in_force = categories if listed is None else tuple(c for c in categories if c in listed)
    own = ACTIONS if acted is None else tuple(a for a in ACTIONS if a in acted)
    for n, rule in enumerate(terms.get("set_action") or ()):
        if "category" in rule and rule["category"] not in in_force:
            yield f"{at}[{n}].category", rule["category"], in_force
        if "action" in rule and rule["action"] not in own:
            yield f"{at}[{n}].action", rule["action"], own
        if rule["to"] not in ACTIONS:
            yield f"{at}[{n}].to", rule["to"], ACTIONS


def _names_set_action_problems(at: str, names: Mapping[str, Any]) -> Iterator[tuple[str, Any, tuple[Any, ...]]]:
    """A names.set_action rule must name a known list, a category its list's hits report, a known action, and
    set REVIEW or REJECT: a protected or banned name is never let PASS by a scene (PA2020-8, PA2017-13)."""
    for n, rule in enumerate(names.get("set_action") or ()):
        listed = rule.get("list")
        if listed is not None and listed not in NAME_LISTS:
            yield f"{at}[{n}].list", listed, NAME_LISTS
            continue  # the list decides which categories there are
        if "category" in rule and rule["category"] not in name_categories(listed):
            yield f"{at}[{n}].category", rule["category"], name_categories(listed)
        if "action" in rule and rule["action"] not in ACTIONS:
            yield f"{at}[{n}].action", rule["action"], ACTIONS
        if rule["to"] not in ACTIONS:
            yield f"{at}[{n}].to", rule["to"], ACTIONS
