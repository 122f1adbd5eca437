// Lexicon and banks (PA2020-8, PA2020-18, BJ2011-10, PA2017-13): the tenant's lists with search, a bulk CSV
// import of terms, the avatar banks, and a name tried against the check with its spans highlighted.
import { allowed, call, enums, readable } from "./api.js";
import { t } from "./i18n.js";
import { badge, denied, field, h, highlighted, problem, select, table, when } from "./dom.js";

const LISTS = [["protected", "lex.protected"], ["terms", "lex.terms"], ["allow", "lex.allow"], ["banned", "lex.banned"]];

function tryName() {
  const text = h("input", { name: "text", maxlength: 5000, required: true });
  const kind = select("field", ["account_name", "nickname", "group_name", "description"].map((v) => [v, v]), "account_name");
  const out = h("div", { "aria-live": "polite", id: "check-answer" });
  const form = h("form", { class: "card" }, h("h2", {}, t("lex.try")),
    h("div", { class: "row" }, field(t("lex.text"), text), field(t("lex.field"), kind), h("button", { type: "submit" }, t("lex.check"))), out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const answer = (await call("POST", "/v1/names/check", { text: text.value, field: kind.value })).body;
      const tone = { PASS: "ok", REVIEW: "warn", REJECT: "bad" }[answer.decision];
      out.replaceChildren(h("p", {}, `${t("lex.decision")}: `, badge(answer.decision, tone)),
        highlighted(text.value, answer.hits.map((hit) => hit.span)),
        table(["code", "term", "channel", "span", "article"], answer.hits.map((hit) => h("tr", {}, h("td", {}, hit.code),
          h("td", {}, hit.term), h("td", {}, hit.channel), h("td", {}, `[${hit.span[0]}, ${hit.span[1]})`), h("td", {}, hit.article)))));
    } catch (error) {
      out.replaceChildren(problem(error));
    }
  });
  return form;
}

function listSection(segment, title, answer) {
  if (answer === null) return h("section", {}, h("h2", {}, t(title)), denied());
  const items = answer.items;
  const search = h("input", { type: "search", name: `search-${segment}`, maxlength: 100 });
  const rows = items.map((item) => h("tr", { dataset: { text: `${item.name} ${(item.aliases || []).join(" ")} ${item.category || ""}` } },
    h("td", {}, item.name), h("td", {}, item.category || ""), h("td", {}, item.action || ""),
    h("td", {}, (item.aliases || []).join("、")), h("td", {}, when(item.created_at))));
  search.addEventListener("input", () => {
    for (const row of rows) row.hidden = !row.dataset.text.toLowerCase().includes(search.value.toLowerCase());
  });
  return h("section", {}, h("h2", {}, `${t(title)} (${items.length})`), field(t("lex.search"), search),
    items.length ? table(["name", "category", "action", "aliases", "created"], rows) : h("p", { class: "muted" }, t("none")));
}

// term,category,action per line; the server validates every row and refuses the batch with the row's path.
function csvImport(kinds, onDone) {
  const text = h("textarea", { class: "code", name: "csv", rows: 5, placeholder: "term,category,action" });
  const out = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card" }, h("h2", {}, `${t("lex.import")} · ${t("lex.terms")}`),
    h("p", { class: "muted" }, `category: ${kinds.terms.join(" ")}`), field("CSV", text),
    h("button", { type: "submit" }, t("lex.import_go")), out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const items = text.value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)
      .filter((line, index) => !(index === 0 && line.toLowerCase().startsWith("term,")))
      .map((line) => { const [term, category, action] = line.split(",").map((cell) => cell.trim()); return { term, category, action }; });
    if (!items.length) return;
    try {
      await call("POST", "/v1/names/terms", { items });
      onDone();
    } catch (error) {
      out.replaceChildren(problem(error));
    }
  });
  return form;
}

async function avatarBanks() {
  const banks = await Promise.all(["protected", "banned"].map((bank) =>
    readable(`/v1/avatars/banks/${bank}/entries?limit=100`).then((answer) => [bank, answer && answer.items])));
  return h("section", {}, h("h2", {}, t("lex.avatars")), banks.map(([bank, items]) => items === null ? denied() : h("div", {}, h("h3", {}, `${bank} (${items.length})`),
    items.length ? table(["entry", "pdq", "label", "created"], items.map((item) => h("tr", {}, h("td", { class: "mono" }, item.entry_id),
      h("td", { class: "mono" }, item.pdq), h("td", {}, item.label || ""), h("td", {}, when(item.created_at)))))
      : h("p", { class: "muted" }, t("none")))));
}

export async function render(main) {
  const [kinds, ...lists] = await Promise.all([enums(), ...LISTS.map(([segment]) => readable(`/v1/names/${segment}?limit=200`))]);
  const redraw = () => render(main);
  main.replaceChildren(h("h1", {}, t("lex.title")), allowed("POST", "/v1/names/check", "checks") ? tryName() : null,
    allowed("POST", "/v1/names/terms", "lexicon") ? csvImport(kinds, redraw) : null,
    ...LISTS.map(([segment, title], index) => listSection(segment, title, lists[index])), await avatarBanks());
}
