// Queue (PA2020-20): open cases by deadline, overdue first and marked; filters with their counts.
import { get, query } from "./api.js";
import { t } from "./i18n.js";
import { badge, h, table, when } from "./dom.js";

const FILTERS = ["source", "category", "priority"];

function sourceOf(item) {
  return item.source || "REPORT";
}

function valueOf(item, name) {
  return name === "source" ? sourceOf(item) : item[name];
}

function counted(items, name) {
  const counts = new Map();
  for (const item of items) counts.set(valueOf(item, name), (counts.get(valueOf(item, name)) || 0) + 1);
  return counts;
}

function label(name, value) {
  return name === "source" ? t(`source.${value}`) : value;
}

function filterControl(name, items, chosen, onChange) {
  const counts = counted(items, name);
  const options = [h("option", { value: "" }, `${t("queue.all")} (${items.length})`)];
  for (const [value, count] of [...counts.entries()].sort()) {
    options.push(h("option", { value, selected: value === chosen }, `${label(name, value)} (${count})`));
  }
  const control = h("select", { id: `filter-${name}`, name, onchange: onChange }, options);
  return h("div", {}, h("label", { for: control.id }, t(`queue.${name}`)), control);
}

function row(item) {
  return h("tr", { class: item.overdue ? "overdue" : "", dataset: { caseId: item.case_id } },
    h("td", {}, h("a", { href: `#/case/${encodeURIComponent(item.case_id)}` }, item.case_id)),
    h("td", {}, `${item.target.type} ${item.target.id}`),
    h("td", {}, item.category),
    h("td", {}, t(`source.${sourceOf(item)}`)),
    h("td", {}, item.priority),
    h("td", {}, item.reports),
    h("td", {}, when(item.due_at), " ", item.overdue ? badge(t("queue.overdue"), "bad") : null));
}

export async function render(main, params) {
  const answer = await get(`/v1/cases${query({ status: "OPEN", limit: 200 })}`);
  const items = [...answer.items].sort((a, b) => Number(b.overdue) - Number(a.overdue));
  const chosen = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || ""]));
  const shown = items.filter((item) => FILTERS.every((name) => !chosen[name] || valueOf(item, name) === chosen[name]));
  const onChange = () => {
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = document.getElementById(`filter-${name}`).value;
      if (value) next.set(name, value);
    }
    window.location.hash = `#/queue${next.toString() ? `?${next}` : ""}`;
  };
  main.replaceChildren(
    h("h1", {}, t("queue.title")),
    h("div", { class: "filters" }, FILTERS.map((name) => filterControl(name, items, chosen[name], onChange))),
    shown.length === 0 ? h("p", { class: "muted" }, t("none")) : table(
      [t("queue.case"), t("queue.target"), t("queue.category"), t("queue.source"), t("queue.priority"),
       t("queue.reports"), t("queue.due")], shown.map(row)),
  );
}
