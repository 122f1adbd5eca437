"""The console's files, read as a reviewer's browser will run them: nothing inline for the CSP to refuse, no
way for an API value to become markup, the key in session storage only, every reference shipped, both
languages complete."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from chalicelib.console import assets

VENDORED = {"chart.umd.min.js"}
OWN_SCRIPTS = sorted(name for name in assets.manifest() if name.endswith(".js") and name not in VENDORED)


def text(name: str) -> str:
    return (assets.STATIC / name).read_text(encoding="utf-8")


class PageParts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


@pytest.fixture(scope="module")
def page() -> PageParts:
    parts = PageParts()
    parts.feed(text(assets.INDEX))
    return parts


def test_the_page_has_no_inline_script_style_or_handler(page):
    assert page.script_text == []
    assert all(attrs.get("src") for tag, attrs in page.tags if tag == "script")
    assert not [tag for tag, _ in page.tags if tag == "style"]
    assert not [(tag, name) for tag, attrs in page.tags for name in attrs if name == "style" or name.startswith("on")]


def test_every_file_the_page_and_its_modules_reference_is_shipped(page):
    referenced = {attrs.get("src") or attrs.get("href") for tag, attrs in page.tags if tag in ("script", "link")}
    assert {ref.removeprefix("console/") for ref in referenced} <= assets.manifest()
    for name in OWN_SCRIPTS:
        for module in re.findall(r'from "\./([^"]+)"', text(name)):
            assert module in assets.manifest(), (name, module)


@pytest.mark.parametrize("name", OWN_SCRIPTS)
def test_no_api_value_can_become_markup_or_code(name):
    # An account name or report description is attacker-chosen text: it may only ever be a text node.
    source = text(name)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setTimeout(\"", "javascript:"):
        assert sink not in source, (name, sink)


@pytest.mark.parametrize("name", OWN_SCRIPTS)
def test_the_key_is_kept_in_the_tab_session_only(name):
    source = text(name)
    assert "localStorage" not in source and "document.cookie" not in source and "indexedDB" not in source
    assert "X-Api-Key" not in source or name == "api.js"


def test_the_api_is_called_without_cookies_and_never_followed_elsewhere():
    source = text("api.js")
    assert 'credentials: "omit"' in source and 'redirect: "error"' in source


def test_the_vendored_chart_library_is_the_release_it_names():
    head = text("chart.umd.min.js")[:200]
    assert "Chart.js v4.6.1" in head and "MIT License" in head


def _keys(block: str) -> set[str]:
    """The keys of one language's table: `name: "..."` or `"dotted.name": "..."`."""
    return {quoted or bare for quoted, bare in re.findall(r'(?:^|[{,]\s*)(?:"([^"]+)"|([A-Za-z_]+)):\s*"', block, re.M)}


def test_both_languages_have_every_text():
    source = text("i18n.js")
    chinese = source[source.index("zh: {"):source.index("en: {")]
    english = source[source.index("en: {"):source.index("export function")]
    zh, en = _keys(chinese), _keys(english)
    assert len(zh) > 100
    assert zh == en, (zh ^ en)
    used = {key for name in OWN_SCRIPTS for key in re.findall(r'\bt\("([^"]+)"\)', text(name))}
    used |= set(re.findall(r'data-i18n="([^"]+)"', text(assets.INDEX)))
    assert used - zh == set()
