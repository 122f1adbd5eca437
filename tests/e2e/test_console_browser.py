"""The console in a real browser (headless Chromium, driven by selenium) against the `make run` stack with its
demo data: a reviewer signs in with the demo key, finds a report filed through the API in the queue, decides
the case in the console, and the reporter's feedback is then read through the API; an inspect key sees the
same pages without any control that writes.

Screenshots of every page are saved to build/console-screenshots/ (and, on a failure, the page as it was).
Without a Chromium and its driver on the machine these tests are skipped, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra.demo_data import PEOPLE, SEEDED, resident_id

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "console-screenshots"
DEMO_KEY = "ck_console_e2e_" + "c" * 32
REVIEWER = "e2e.reviewer"
BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
DRIVER = shutil.which("chromedriver")
WAIT = 10.0
HOSTILE = '转发未经证实的消息 <img src=x onerror="window.__hostile=1"><script>window.__hostile=2</script>'

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(BROWSER is None or DRIVER is None,
                       reason="no Chromium and chromedriver here (apt-get install chromium chromium-driver)"),
]


@dataclass(frozen=True)
class Stack:
    base: str
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http(stack: Stack, method: str, path: str, *, key: str = DEMO_KEY, body: Any = None,
         headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(stack.base + path, data=data, method=method,
                                     headers={"X-Api-Key": key, **(headers or {})})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def start_browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER or ""), options=options)


@pytest.fixture(scope="module")
def stack_and_browser() -> Iterator[tuple[Stack, Any]]:
    """One local stack for the module, and one browser started while the stack seeds its demo data."""
    api_port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
           "PORT": str(api_port), "AWS_PORT": str(free_port()), "DEMO_API_KEY": DEMO_KEY, "PYTHONUNBUFFERED": "1"}
    log = Path(tempfile.NamedTemporaryFile(prefix="console-stack-", suffix=".log", delete=False).name)
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "infra/local.py"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, text=True)
    driver = None
    try:
        driver = start_browser()
        SHOTS.mkdir(parents=True, exist_ok=True)
        for stale in SHOTS.glob("FAILED-*.png"):
            stale.unlink()
        deadline = time.monotonic() + 90
        while SEEDED not in (text := log.read_text("utf-8", "replace")):
            if "Demo data not seeded" in text or process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the local stack did not come up with its demo data:\n{text[-4000:]}")
            time.sleep(0.1)
        yield Stack(f"http://127.0.0.1:{api_port}", log), driver
    finally:
        if driver is not None:
            driver.quit()
        process.kill()  # the module's own stack: nothing of it is kept, so nothing waits for a clean stop
        process.wait()


@pytest.fixture(scope="module")
def stack(stack_and_browser: tuple[Stack, Any]) -> Stack:
    return stack_and_browser[0]


@pytest.fixture(scope="module")
def browser(stack_and_browser: tuple[Stack, Any]) -> Any:
    return stack_and_browser[1]


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The browser for one test; the page as it was is saved when the test fails."""
    yield browser
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        browser.save_screenshot(str(SHOTS / f"FAILED-{request.node.name}.png"))


def until(driver: Any, condition: Any, what: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, poll_frequency=0.05).until(condition, what)


def shown(driver: Any, page_name: str) -> None:
    """The page has drawn (its router marks main with the page name) and shows no failed request."""
    until(driver, lambda d: d.execute_script("return document.getElementById('main').dataset.page") == page_name
          and not d.find_elements("css selector", "main > p.muted:only-child"), f"the {page_name} page")
    errors = driver.find_elements("css selector", "main .error")
    assert not errors, [e.text for e in errors]


def visit(driver: Any, stack: Stack, route: str, page_name: str, shot: str) -> None:
    """Go to a page of the signed-in console, as a link in it would."""
    driver.execute_script("""
        document.getElementById('main').dataset.page = '';
        if (location.hash === arguments[0]) window.dispatchEvent(new HashChangeEvent('hashchange'));
        else location.hash = arguments[0];""", f"#/{route}")
    shown(driver, page_name)
    driver.save_screenshot(str(SHOTS / f"{shot}.png"))


def sign_in(driver: Any, stack: Stack, key: str, reviewer: str = REVIEWER) -> None:
    """Signs in through the form, unless this tab is signed in with this key already."""
    held = "return [sessionStorage.getItem('console.key'), sessionStorage.getItem('console.actor')]"
    if driver.current_url.startswith(f"{stack.base}/console") and driver.execute_script(held) == [key, reviewer]:
        visit(driver, stack, "queue", "queue", "queue")
        return
    driver.get(f"{stack.base}/console")
    driver.execute_script("sessionStorage.clear()")
    driver.get(f"{stack.base}/console#/queue")
    until(driver, lambda d: d.find_elements("id", "key"), "the sign-in form")
    driver.find_element("id", "key").send_keys(key)
    driver.find_element("id", "actor").send_keys(reviewer)
    driver.find_element("css selector", "#signin button[type=submit]").click()
    shown(driver, "queue")


def csp_violations(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]
            or "Refused to" in e["message"]]


def unlabelled(driver: Any) -> list[str]:
    return driver.execute_script("""
        return [...document.querySelectorAll('input, select, textarea')]
          .filter((c) => c.type !== 'hidden' && !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
                         && !c.closest('label'))
          .map((c) => c.outerHTML.slice(0, 80));""")


PAGES = [("queue", "queue"), ("appeals", "appeals"), ("dashboard", "dashboard"), ("lexicon", "lexicon"),
         ("records", "records"), ("subject", "subject")]


def test_a_reviewer_signs_in_and_every_page_draws_under_the_policy(stack, page):
    # GIVEN the demo stack WHEN a reviewer signs in with the demo key
    sign_in(page, stack, DEMO_KEY)
    # THEN the key sits in this tab's session storage only: no local storage, no cookie
    assert page.execute_script("return sessionStorage.getItem('console.key')") == DEMO_KEY
    assert page.execute_script("return [localStorage.length, document.cookie]") == [0, ""]
    # AND every page draws with the demo data, every control labelled, nothing refused by the CSP
    decided = http(stack, "GET", "/v1/cases?status=DECIDED")[1]["items"]
    assert decided, "the demo data decided cases"
    for route, name in PAGES:
        visit(page, stack, route, name, name)
        assert unlabelled(page) == [], route
    account = next(c["target"]["id"] for c in decided if c["target"]["type"] == "ACCOUNT")
    visit(page, stack, f"subject?id={account}", "subject", "account")
    owner = page.find_element("css selector", "main .card a").text
    visit(page, stack, f"subject?id={owner}", "subject", "subject")
    assert page.find_elements("css selector", "figure.chart canvas"), "the credit chart"
    assert csp_violations(page) == []
    # AND a script slipped into the page inline, as an injection would be, does not run
    page.execute_script("const s = document.createElement('script'); s.textContent = 'window.__inline = 1';"
                        "document.body.append(s);")
    assert page.execute_script("return window.__inline") is None
    assert csp_violations(page), "the browser reports the refused inline script"


def test_an_overdue_case_comes_first_in_the_queue_and_is_marked(stack, page):
    # GIVEN a department's order whose time limit passed before it arrived (PA2020-19)
    status, opened = http(stack, "POST", "/v1/cases", body={
        "source": "AUTHORITY_ORDER", "target": {"type": "CONTENT", "id": "post-e2e-order"}, "category": "RUMOUR",
        "description": "限时处置",
        "order": {"reference": "E2E-1", "authority": "网信办", "due_at": "2026-01-01T00:00:00Z"}})
    if status == 404:
        pytest.skip("this API opens no case without a report (POST /v1/cases)")
    assert status == 201, opened
    sign_in(page, stack, DEMO_KEY)
    # WHEN the queue is drawn THEN every overdue case comes before the others, each marked, this one among them
    rows = page.find_elements("css selector", "main tbody tr")
    marks = [row.get_attribute("class") == "overdue" for row in rows]
    assert marks[0] and marks == sorted(marks, reverse=True)
    row = page.find_element("css selector", f"tr[data-case-id='{opened['case_id']}']")
    assert row.get_attribute("class") == "overdue" and ("逾期" in row.text)
    # AND the source filter counts it and keeps only the orders
    source = page.find_element("id", "filter-source")
    option = source.find_element("css selector", "option[value='AUTHORITY_ORDER']")
    assert option.text.endswith(")")
    option.click()
    until(page, lambda d: "source=AUTHORITY_ORDER" in d.current_url, "the filter in the address")
    shown(page, "queue")
    kept = page.find_elements("css selector", "main tbody tr")
    assert kept and all("主管部门" in row.text for row in kept)
    page.save_screenshot(str(SHOTS / "queue-orders.png"))


def test_a_report_filed_through_the_api_is_decided_in_the_console(stack, page):
    from selenium.webdriver.support.ui import Select

    # GIVEN a report filed through the API by a platform account
    status, receipt = http(stack, "POST", "/v1/reports", body={
        "reporter": {"account_id": "reporter-e2e"}, "target": {"type": "CONTENT", "id": "post-e2e-console"},
        "category": "RUMOUR", "description": HOSTILE})
    assert status == 201
    sign_in(page, stack, DEMO_KEY)
    # WHEN the reviewer finds its case in the queue and opens it
    row = until(page, lambda d: d.find_elements("css selector", f"tr[data-case-id='{receipt['case_id']}'] a"),
                "the new case in the queue")
    row[0].click()
    shown(page, "case")
    page.save_screenshot(str(SHOTS / "case.png"))
    # (the reporter's text is shown as the text it is: no element of it is made, no script of it runs)
    assert HOSTILE in page.find_element("css selector", "tr[data-report-id] .text").text
    assert page.find_elements("css selector", "main img, main script") == []
    assert page.execute_script("return window.__hostile") is None
    # AND decides it in the form: a violation, with a warning to the publishing account
    form = page.find_element("id", "decision")
    Select(form.find_element("name", "outcome")).select_by_value("VIOLATION")
    form.find_element("name", "statement").send_keys("经核实为谣言，予以警示。")
    page.find_element("xpath", "//form[@id='decision']//button[@type='button']").click()
    box = form.find_element("css selector", "fieldset.disposition")
    box.find_element("name", "target_id").clear()
    box.find_element("name", "target_id").send_keys("acct-e2e-publisher")
    form.find_element("css selector", "button[type=submit]").click()
    until(page, lambda d: d.find_elements("id", "decided"), "the decision shown")
    page.save_screenshot(str(SHOTS / "case-decided.png"))
    # THEN the case page shows every report answered
    states = [cell.text for cell in page.find_elements("css selector", "td.feedback")]
    assert states and all(("已反馈" in s or "answered" in s) for s in states), states
    # AND the reporter reads the feedback through the API, naming the console's reviewer where the API records it
    status, seen = http(stack, "GET", f"/v1/reports/{receipt['report_id']}",
                        headers={"X-Tracking-Token": receipt["tracking_token"]})
    assert status == 200 and seen["status"] == "DECIDED"
    assert seen["feedback"]["outcome"] == "VIOLATION" and seen["feedback"]["statement"] == "经核实为谣言，予以警示。"
    decision = http(stack, "GET", f"/v1/cases/{receipt['case_id']}")[1]["decision"]
    assert decision.get("decided_by", REVIEWER) == REVIEWER
    assert len(decision["disposition_ids"]) == 1
    events = http(stack, "GET", "/v1/audit?limit=500")[1]["items"]
    decided = [e for e in events if e["type"] == "case.decide" and e["data"].get("case_id") == receipt["case_id"]]
    assert decided and decided[-1].get("x_actor", REVIEWER) == REVIEWER


def test_the_language_switches_and_times_show_china_time_with_the_utc_instant(stack, page):
    sign_in(page, stack, DEMO_KEY)
    assert page.find_element("css selector", "#nav a[href='#/queue']").text == "待办队列"
    # WHEN the reviewer switches to English, from the keyboard
    page.find_element("id", "lang").send_keys("\ue007")  # Enter
    until(page, lambda d: d.find_element("css selector", "#nav a[href='#/queue']").text == "Queue", "English")
    shown(page, "queue")
    # THEN times read in China time, the UTC instant in the title
    stamp = page.find_element("css selector", "main time")
    assert stamp.text.endswith("(UTC+8)") and stamp.get_attribute("title").startswith("UTC ")
    assert stamp.get_attribute("datetime").endswith("Z")
    page.save_screenshot(str(SHOTS / "queue-en.png"))
    page.find_element("id", "lang").click()
    until(page, lambda d: d.find_element("css selector", "#nav a[href='#/queue']").text == "待办队列", "Chinese again")


def test_the_pages_are_reached_from_the_keyboard(stack, page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    sign_in(page, stack, DEMO_KEY)
    # GIVEN the queue, whose first focusable element is the skip link
    first = "return document.querySelector('a, button, input, select, textarea').className"
    assert page.execute_script(first) == "skip"
    # WHEN the reviewer tabs on from it
    page.execute_script("document.querySelector('a.skip').focus()")
    reached = [page.execute_script("return document.activeElement.getAttribute('href')")]
    for _ in range(12):
        ActionChains(page).send_keys(Keys.TAB).perform()
        reached.append(page.execute_script("return document.activeElement.getAttribute('href') || "
                                           "document.activeElement.id || document.activeElement.tagName"))
    # THEN the skip link comes first, then every page's link, then the filters
    assert reached[0] == "#main"
    assert {"#/queue", "#/appeals", "#/subject", "#/dashboard", "#/lexicon", "#/records"} <= set(reached)
    # AND Enter on a page link opens it
    page.find_element("css selector", "#nav a[href='#/dashboard']").send_keys(Keys.ENTER)
    shown(page, "dashboard")


def test_a_name_is_tried_and_careless_input_gets_the_servers_answer_inline(stack, page):
    sign_in(page, stack, DEMO_KEY)
    visit(page, stack, "lexicon", "lexicon", "lexicon")
    # GIVEN the "try a name" box WHEN a name impersonating a media outlet is checked
    box = page.find_element("css selector", "main form")
    box.find_element("name", "text").send_keys("人民日報官方")
    box.find_element("css selector", "button[type=submit]").click()
    # THEN the check's answer is shown with the span it found marked in the text
    until(page, lambda d: d.find_elements("css selector", "#check-answer mark"), "the marked span")
    assert "REJECT" in page.find_element("id", "check-answer").text
    assert page.find_element("css selector", "#check-answer mark").text == "人民日報"
    page.save_screenshot(str(SHOTS / "lexicon-check.png"))
    # AND a CSV row with a category the API does not know is refused inline, and no term of the batch is kept
    before = http(stack, "GET", "/v1/names/terms?limit=200")[1]["items"]
    csv = page.find_element("css selector", "textarea[name=csv]")
    csv.send_keys("term,category,action\n测试词一,EXTORTION_FRAUD,REJECT\n测试词二,NOT_A_CATEGORY,REJECT")
    csv.find_element("xpath", "./ancestor::form//button[@type='submit']").click()
    error = until(page, lambda d: d.find_elements("css selector", "main form .error"), "the refusal")[0]
    assert "SCHEMA_VIOLATION" in error.text and "items" in error.text
    assert http(stack, "GET", "/v1/names/terms?limit=200")[1]["items"] == before
    # AND allow phrases are imported from CSV, a quoted one keeping its comma
    from selenium.webdriver.support.ui import Select

    form = page.find_element("css selector", "textarea[name=csv]").find_element("xpath", "./ancestor::form")
    Select(form.find_element("name", "list")).select_by_value("allow")
    csv = form.find_element("name", "csv")
    csv.clear()
    csv.send_keys('phrase\n公安部门\n"北京,上海两地"')
    form.find_element("css selector", "button[type=submit]").click()
    until(page, lambda d: "北京,上海两地" in d.find_element("tag name", "main").text, "the imported phrases listed")
    names = {item["name"] for item in http(stack, "GET", "/v1/names/allow?limit=200")[1]["items"]}
    assert {"公安部门", "北京,上海两地"} <= names


def test_the_audit_chain_is_verified_and_a_bad_policy_patch_is_refused_inline(stack, page):
    sign_in(page, stack, DEMO_KEY)
    visit(page, stack, "records", "records", "records")
    # GIVEN the demo data's filing export: it is listed with its manifest and a download link for each file
    filing = page.find_element("css selector", ".filing")
    assert filing.find_element("link text", "清单").get_attribute("href").startswith("http")
    assert filing.find_elements("css selector", "td a")
    # WHEN the reviewer verifies the audit chain THEN it is shown intact
    page.find_element("css selector", "#verification").find_element("xpath", "preceding-sibling::button").click()
    until(page, lambda d: "哈希链完整" in d.find_element("id", "verification").text, "the verification")
    # AND a policy patch the server refuses shows its errors next to the editor, the policy unchanged
    version = http(stack, "GET", "/v1/policy")[1]["version"]
    editor = page.find_element("css selector", "textarea[name=patch]")
    editor.clear()
    editor.send_keys('{"retention": {"log_days": -5}}')
    editor.find_element("xpath", "./ancestor::form//button[@type='submit']").click()
    error = until(page, lambda d: d.find_elements("css selector", "#policy .error"), "the refusal")[0]
    assert "SCHEMA_VIOLATION" in error.text
    assert http(stack, "GET", "/v1/policy")[1]["version"] == version
    page.save_screenshot(str(SHOTS / "records-refused.png"))


def test_a_subject_is_found_by_a_document_number_as_typed_and_lists_the_groups_it_leads(stack, page):
    # GIVEN the demo's second person, who manages the demo group, and their number as a clerk might type it
    number = resident_id(PEOPLE[1][1][:17])
    typed = f"{number[:6]} {number[6:14]} {number[14:]}"
    status, found = http(stack, "POST", "/v1/subjects/lookup",
                         body={"document_type": "RESIDENT_ID", "document_number": number})
    assert status == 200, found
    subject_id = found["items"][0]["subject_id"]
    sign_in(page, stack, DEMO_KEY)
    visit(page, stack, "subject", "subject", "subject-lookup")
    # WHEN the number is entered in the lookup by document
    form = page.find_element("id", "subject-lookup")
    form.find_element("name", "lookup_number").send_keys(typed)
    form.find_element("css selector", "button[type=submit]").click()
    # THEN the subject's page opens, masked, with the group it manages and its role labelled
    until(page, lambda d: subject_id in d.current_url and d.find_elements("css selector", "#subject-groups td"),
          "the subject's page with its groups")
    shown(page, "subject")
    assert "群管理员" in page.find_element("id", "subject-groups").text
    page.save_screenshot(str(SHOTS / "subject-groups.png"))
    # AND the number is nowhere: not in the address, the page, the tab's storage or the field
    held = page.execute_script("return [location.href, document.body.innerText, JSON.stringify(sessionStorage)]")
    assert not [text for text in held if number in text or number[6:14] in text]
    assert page.find_element("name", "lookup_number").get_attribute("value") == ""
    # AND a number no subject has is answered inline, staying on the page
    form = page.find_element("id", "subject-lookup")
    form.find_element("name", "lookup_number").send_keys(resident_id("11010519900101907"))
    form.find_element("css selector", "button[type=submit]").click()
    error = until(page, lambda d: d.find_elements("css selector", "#lookup-answer .error"), "the 404 inline")[0]
    assert "SUBJECT_NOT_FOUND" in error.text and subject_id in page.current_url


def test_banned_names_are_imported_from_csv_and_an_entry_is_removed(stack, page):
    from selenium.webdriver.support.ui import Select

    sign_in(page, stack, DEMO_KEY)
    visit(page, stack, "lexicon", "lexicon", "lexicon")
    # GIVEN the CSV import set to banned names WHEN two rows are imported, one quoted with a comma
    form = page.find_element("css selector", "textarea[name=csv]").find_element("xpath", "./ancestor::form")
    Select(form.find_element("name", "list")).select_by_value("banned")
    csv = 'name,reason,days\n刷单小能手,组织刷单被关闭,30\n"网赚,日结",诈骗被关闭,'
    form.find_element("name", "csv").send_keys(csv)
    form.find_element("css selector", "button[type=submit]").click()
    until(page, lambda d: "网赚,日结" in d.find_element("tag name", "main").text, "the imported names listed")
    banned = {item["name"]: item for item in http(stack, "GET", "/v1/names/banned?limit=200")[1]["items"]}
    assert {"刷单小能手", "网赚,日结"} <= set(banned)
    # WHEN the reviewer removes one from its list, confirming
    remove = f"button[data-entry='{banned['刷单小能手']['entry_id']}']"
    page.find_element("css selector", remove).click()
    page.switch_to.alert.accept()
    until(page, lambda d: not d.find_elements("css selector", remove), "the removed entry leaves the list")
    # THEN the API no longer lists it, and keeps the other
    left = {item["name"] for item in http(stack, "GET", "/v1/names/banned?limit=200")[1]["items"]}
    assert "刷单小能手" not in left and "网赚,日结" in left


WRITES = ("#decision", ".appeal-decision", "textarea[name=patch]", "textarea[name=csv]", "fieldset.disposition",
          "form input[name=document]")


def test_an_inspect_key_sees_the_pages_without_any_control_that_writes(stack, page):
    # GIVEN an inspect-only key made by the demo key
    status, created = http(stack, "POST", "/v1/api-keys", body={"label": "inspector", "scopes": ["inspect"]})
    assert status == 201, created
    sign_in(page, stack, created["api_key"], reviewer="inspector.one")
    assert "只读" in page.find_element("id", "who").text
    # WHEN the inspector opens every page an inspector reads
    open_case = http(stack, "GET", "/v1/cases?status=OPEN")[1]["items"][0]["case_id"]
    subject = http(stack, "GET", "/v1/appeals")[1]["items"][0]["subject_id"]
    for route, name in [("queue", "queue"), (f"case/{open_case}", "case"), ("dashboard", "dashboard"),
                        (f"subject?id={subject}", "subject"), ("records", "records")]:
        visit(page, stack, route, name, f"inspect-{name}")
        # THEN no control that writes is offered on it
        assert [css for css in WRITES if page.find_elements("css selector", css)] == [], route
    # AND the subject page offers the lookup by document (a read) but says the groups are not its key's to read
    visit(page, stack, f"subject?id={subject}", "subject", "inspect-subject")
    assert page.find_elements("id", "subject-lookup")
    assert page.find_elements("css selector", "#subject-groups .notice")
    # AND the pages its key may not read are not offered, and say so when opened anyway
    hidden = page.execute_script("return [...document.querySelectorAll('#nav a')].filter(a => a.hidden)"
                                 ".map(a => a.getAttribute('href'))")
    assert set(hidden) == {"#/appeals", "#/lexicon"}
    visit(page, stack, "appeals", "appeals", "inspect-appeals")
    assert page.find_elements("css selector", "main .notice")
    assert csp_violations(page) == []


def test_an_appeal_is_overturned_in_the_console_and_its_dispositions_reversed(stack, page):
    # GIVEN the demo data's pending appeal against a suspension
    appeal = http(stack, "GET", "/v1/appeals")[1]["items"][0]
    sign_in(page, stack, DEMO_KEY)
    visit(page, stack, "appeals", "appeals", "appeals")
    card = page.find_element("css selector", f"[data-appeal-id='{appeal['appeal_id']}']")
    # THEN the page says what an overturn reverses
    assert "SUSPEND_PUBLISHING" in card.text
    # WHEN the reviewer overturns it with a statement
    card.find_element("name", "statement").send_keys("复核认定证据不足，撤销原处置。")
    card.find_element("css selector", "button.primary").click()
    until(page, lambda d: not d.find_elements("css selector", f"[data-appeal-id='{appeal['appeal_id']}']"),
          "the appeal leaves the pending list")
    # THEN the API shows it overturned and the suspension revoked
    decided = http(stack, "GET", f"/v1/appeals/{appeal['appeal_id']}")[1]
    assert decided["status"] == "OVERTURNED" and decided["reversed"] == appeal["disposition_ids"]
    revoked = http(stack, "GET", f"/v1/dispositions/{appeal['disposition_ids'][0]}")[1]
    assert revoked["status"] == "REVOKED"
