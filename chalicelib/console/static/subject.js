// Subject / account: masked identity and verification history (MB2018-7), restrictions in force with their
// sources (PA2020-19), credit over time with its strikes (GR2017-7, PA2020-13), accounts, the groups it founded
// or manages (GR2017-8), blacklist checks, and lookup by a raw document number (blind-indexed by the server,
// RL2020-24: the number goes in a POST body only, never into the address bar or the page after the answer).
import { allowed, call, enums, get, readable } from "./api.js";
import { t } from "./i18n.js";
import { badge, chinaDay, denied, field, h, problem, select, table, when } from "./dom.js";
import { chart } from "./charts.js";

function restrictions(answer) {
  return h("section", {}, h("h2", {}, t("subject.restrictions")),
    answer.restrictions.length === 0 ? h("p", { class: "muted" }, t("none")) : table(
      [t("disp.type"), "restricts", t("case.ground"), "from", "until", t("disp.statement")],
      answer.restrictions.map((item) => h("tr", {}, h("td", {}, item.type, h("div", { class: "mono" }, item.disposition_id)),
        h("td", {}, item.restricts.join(", ")), h("td", {}, item.article), h("td", {}, when(item.starts_at)),
        h("td", {}, when(item.ends_at)), h("td", {}, item.statement)))));
}

// Each entry lowers the score by its current weight: walking back from today's score gives the line.
function creditChart(credit) {
  const entries = [...credit.entries].sort((a, b) => a.at.localeCompare(b.at));
  let score = credit.score + entries.reduce((sum, entry) => sum + entry.current, 0);
  const labels = ["—"];
  const points = [score];
  for (const entry of entries) {
    score -= entry.current;
    labels.push(`${chinaDay(entry.at)} ${entry.type}`);
    points.push(score);
  }
  return chart(`${t("subject.credit")}: ${credit.score} (${credit.level})`, {
    type: "line", data: { labels, datasets: [{ label: t("subject.credit"), data: points, stepped: true }] } });
}

async function subjectView(id) {
  const path = encodeURIComponent(id);
  const [subject, held, credit, accounts, groups] = await Promise.all([
    get(`/v1/identity/subjects/${path}`), get(`/v1/subjects/${path}/restrictions`), get(`/v1/subjects/${path}/credit`),
    readable(`/v1/subjects/${path}/accounts`), readable(`/v1/subjects/${path}/groups?limit=100`)]);
  return [
    h("div", { class: "card" }, h("h2", {}, subject.subject_id, " ", badge(subject.status, subject.status === "VERIFIED" ? "ok" : "warn")),
      h("p", {}, `${subject.subject_type} · `, h("span", { class: "mono" }, `${subject.document.type || ""} ${subject.document.masked || ""}`),
        subject.mobile_masked ? ` · ${subject.mobile_masked}` : ""),
      h("p", {}, "verified ", when(subject.verified_at), " · reconfirm by ", when(subject.reconfirm_by))),
    h("h2", {}, t("subject.history")),
    table(["id", "at", "outcome", "provider"], subject.history.map((item) => h("tr", {},
      h("td", { class: "mono" }, item.verification_id), h("td", {}, when(item.at)), h("td", {}, item.outcome),
      h("td", {}, item.provider)))),
    restrictions(held),
    h("div", { class: "charts" }, creditChart(credit)),
    table([t("disp.type"), "category", "at", "weight", "current", "reason"], credit.entries.map((entry) => h("tr", {},
      h("td", {}, entry.type), h("td", {}, entry.category), h("td", {}, when(entry.at)), h("td", {}, entry.weight),
      h("td", {}, entry.current), h("td", {}, entry.reason)))),
    h("h2", {}, `${t("subject.accounts")}${accounts ? ` (${accounts.accounts})` : ""}`),
    accounts === null ? denied() : table(["account", "type", "name", "status"], accounts.items.map((item) => h("tr", {},
      h("td", {}, h("a", { href: `#/subject?id=${encodeURIComponent(item.account_id)}` }, item.account_id)),
      h("td", {}, item.account_type), h("td", {}, item.name), h("td", {}, item.status)))),
    ledGroups(groups),
  ];
}

function ledGroups(answer) {
  const title = h("h2", {}, `${t("subject.groups")}${answer ? ` (${answer.items.length}${answer.next_cursor ? "+" : ""})` : ""}`);
  if (answer === null) return h("section", { id: "subject-groups" }, title, denied());
  return h("section", { id: "subject-groups" }, title, answer.items.length === 0 ? h("p", { class: "muted" }, t("none"))
    : table([t("subject.group"), t("subject.role"), "account", t("subject.joined")], answer.items.map((item) => h("tr", {},
      h("td", { class: "mono" }, item.group_id), h("td", {}, item.role_label, " ", h("span", { class: "muted" }, item.role)),
      h("td", {}, item.account_id || "—"), h("td", {}, when(item.joined_at))))));
}

async function accountView(id) {
  const path = encodeURIComponent(id);
  const [account, held, flags] = await Promise.all([readable(`/v1/accounts/${path}`),
    get(`/v1/accounts/${path}/restrictions`), readable(`/v1/accounts/${path}/metric-flags`)]);
  return [
    account === null ? h("div", { class: "card" }, h("h2", {}, id), denied()) : h("div", { class: "card" },
      h("h2", {}, `${account.account_id} · ${account.name} `, badge(account.status)),
      h("p", {}, `${account.account_type} · `, h("a", { href: `#/subject?id=${encodeURIComponent(account.subject_id)}` },
        account.subject_id), " · ", when(account.created_at))),
    restrictions(held),
    h("h2", {}, t("dash.flags")),
    flags === null ? denied() : flags.items.length ? h("pre", { class: "text" }, JSON.stringify(flags.items, null, 2)) : h("p", { class: "muted" }, t("none")),
  ];
}

function blacklistCheck(kinds) {
  const type = select("document_type", kinds.documents.map((v) => [v, v]), "RESIDENT_ID");
  const number = h("input", { name: "document", maxlength: 64, autocomplete: "off" });
  const phone = h("input", { name: "phone", maxlength: 32, autocomplete: "off" });
  const out = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card" }, h("h2", {}, t("subject.raw")),
    h("div", { class: "row" }, field(t("subject.doc_type"), type), field(t("subject.doc"), number), field(t("subject.phone"), phone),
      h("button", { type: "submit" }, t("subject.check"))), out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const items = [];
    if (number.value.trim()) items.push({ type: "REGISTRATION_SUBJECT", document: { type: type.value, number: number.value.trim() } });
    if (phone.value.trim()) items.push({ type: "PHONE", phone: phone.value.trim() });
    if (!items.length) return;
    try {
      const answer = (await call("POST", "/v1/blacklist/check", { items })).body;
      out.replaceChildren(h("pre", { class: "text" }, JSON.stringify(answer.hits, null, 2)),
        badge(answer.hits.length ? t("subject.hit") : t("subject.nohit"), answer.hits.length ? "bad" : "ok"));
    } catch (error) {
      out.replaceChildren(problem(error));
    } finally {
      number.value = "";
      phone.value = "";
    }
  });
  return form;
}

function documentLookup(kinds) {
  const type = select("lookup_type", kinds.documents.filter((v) => v !== "MOBILE").map((v) => [v, v]), "RESIDENT_ID");
  const number = h("input", { name: "lookup_number", maxlength: 64, autocomplete: "off", required: true });
  const out = h("div", { "aria-live": "polite", id: "lookup-answer" });
  const form = h("form", { class: "card", id: "subject-lookup" }, h("h2", {}, t("subject.by_document")),
    h("div", { class: "row" }, field(t("subject.doc_type"), type), field(t("subject.doc"), number),
      h("button", { type: "submit" }, t("subject.find"))), out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { document_type: type.value, document_number: number.value };
    number.value = "";
    try {
      const found = (await call("POST", "/v1/subjects/lookup", body)).body.items[0];
      window.location.hash = `#/subject?id=${encodeURIComponent(found.subject_id)}`;
    } catch (error) {
      out.replaceChildren(problem(error));
    }
  });
  return form;
}

export async function render(main, params) {
  const id = params.get("id") || "";
  const input = h("input", { name: "id", value: id, maxlength: 128, required: true });
  const lookup = h("form", { class: "row" }, field(t("subject.id"), input), h("button", { type: "submit" }, t("subject.find")));
  lookup.addEventListener("submit", (event) => {
    event.preventDefault();
    window.location.hash = `#/subject?id=${encodeURIComponent(input.value.trim())}`;
  });
  const kinds = await enums();
  let body = [];
  if (id) {
    try {
      body = id.startsWith("sub_") ? await subjectView(id) : await accountView(id);
    } catch (error) {
      body = [problem(error)];
    }
  }
  const checkable = allowed("POST", "/v1/blacklist/check", "checks");
  const findable = allowed("POST", "/v1/subjects/lookup", "identity");
  main.replaceChildren(h("h1", {}, t("subject.title")), lookup, findable ? documentLookup(kinds) : null, ...body,
    checkable ? blacklistCheck(kinds) : null);
}
