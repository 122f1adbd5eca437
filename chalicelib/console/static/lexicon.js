// Lexicon and banks (PA2020-8, PA2020-18, BJ2011-10, PA2017-13): the tenant's lists with search and removal, a
// bulk CSV import of each list, the avatar banks, and a name tried against the check with its spans highlighted.
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

// Removal is offered where the key may call the list's DELETE route; the server's answer redraws the list.
function removeButton(segment, item, onDone) {
  const button = h("button", { type: "button", class: "danger", "aria-label": `${t("lex.remove")} ${item.name}`,
    dataset: { entry: item.entry_id } }, t("lex.remove"));
  button.addEventListener("click", async () => {
    if (!window.confirm(`${t("lex.remove_confirm")} ${item.name}`)) return;
    try {
      await call("DELETE", `/v1/names/${segment}/${encodeURIComponent(item.entry_id)}`);
      onDone();
    } catch (error) {
      button.replaceWith(problem(error));
    }
  });
  return button;
}

function listSection(segment, title, answer, onDone) {
  if (answer === null) return h("section", {}, h("h2", {}, t(title)), denied());
  const items = answer.items;
  const removable = allowed("DELETE", `/v1/names/${segment}/{entry_id}`, "lexicon");
  const search = h("input", { type: "search", name: `search-${segment}`, maxlength: 100 });
  const rows = items.map((item) => h("tr", { dataset: { text: `${item.name} ${(item.aliases || []).join(" ")} ${item.category || ""}` } },
    h("td", {}, item.name), h("td", {}, item.category || item.reason || ""), h("td", {}, item.action || ""),
    h("td", {}, (item.aliases || []).join("、")), h("td", {}, when(item.created_at)),
    removable ? h("td", {}, removeButton(segment, item, onDone)) : null));
  search.addEventListener("input", () => {
    for (const row of rows) row.hidden = !row.dataset.text.toLowerCase().includes(search.value.toLowerCase());
  });
  return h("section", {}, h("h2", {}, `${t(title)} (${items.length})`), field(t("lex.search"), search),
    items.length ? table(["name", "category", "action", "aliases", "created", ...(removable ? [""] : [])], rows)
      : h("p", { class: "muted" }, t("none")));
}

// One CSV row per entry; the server validates the whole batch and refuses it with the row's path, writing none.
const IMPORTS = {
  terms: { header: "term,category,action", path: "/v1/names/terms",
           body: (rows) => ({ items: rows.map(([term, category, action]) => ({ term, category, action })) }) },
  protected: { header: "name,kind,aliases (a|b)", path: "/v1/names/protected/bulk",
               body: (rows) => ({ items: rows.map(([name, kind, aliases]) => ({ name, kind,
                 ...(aliases ? { aliases: aliases.split("|").map((a) => a.trim()).filter(Boolean) } : {}) })) }) },
  allow: { header: "phrase", path: "/v1/names/allow", body: (rows) => ({ phrases: rows.map(([phrase]) => phrase) }) },
  // days left empty: the policy's reregistration_ban_days; a day count that is not a number reaches the server
  // as null and is refused there with its row, like any other bad cell.
  banned: { header: "name,reason,days", path: "/v1/names/banned/bulk",
            body: (rows) => ({ items: rows.map(([name, reason, days]) => ({ name, reason,
              ...(days ? { days: /^\d+$/.test(days) ? Number(days) : null } : {}) })) }) },
};

// RFC 4180: fields may be quoted, a quote inside doubled; a header row (its first field as in the help) is skipped.
export function csvRows(text, header) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell.trim()); cell = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell.trim()); rows.push(row); row = []; cell = "";
    } else cell += ch;
  }
  row.push(cell.trim());
  rows.push(row);
  const kept = rows.filter((r) => r.some((c) => c !== ""));
  return kept.length && kept[0][0] === header.split(",")[0] ? kept.slice(1) : kept;
}

function csvImport(kinds, onDone) {
  const kind = select("list", Object.keys(IMPORTS).map((name) => [name, t(`lex.${name}`)]), "terms");
  const text = h("textarea", { class: "code", name: "csv", rows: 5, placeholder: IMPORTS.terms.header });
  const help = h("p", { class: "muted" });
  const showHelp = () => {
    text.placeholder = IMPORTS[kind.value].header;
    help.textContent = kind.value === "terms" ? `category: ${kinds.terms.join(" ")}`
      : kind.value === "protected" ? `kind: ${kinds.kinds.join(" ")}` : kind.value === "banned" ? t("lex.banned_help") : "";
  };
  kind.addEventListener("change", showHelp);
  showHelp();
  const out = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "card" }, h("h2", {}, t("lex.import")), field(t("lex.list"), kind), help, field("CSV", text),
    h("button", { type: "submit" }, t("lex.import_go")), out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = IMPORTS[kind.value];
    const rows = csvRows(text.value, chosen.header);
    if (!rows.length) return;
    try {
      await call("POST", chosen.path, chosen.body(rows));
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
    ...LISTS.map(([segment, title], index) => listSection(segment, title, lists[index], redraw)), await avatarBanks());
}
