// Dashboard (PA2020-20, PA2020-13): per category on-time share and median hours to decision, breaches and
// reports received per day, rumour alerts.
import { get, query, readable } from "./api.js";
import { t } from "./i18n.js";
import { chinaDay, denied, h, table, when } from "./dom.js";
import { chart } from "./charts.js";

async function everyCase(status) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 10; page += 1) {
    const answer = await get(`/v1/cases${query({ status, limit: 200, cursor })}`);
    items.push(...answer.items);
    cursor = answer.next_cursor;
    if (!cursor) break;
  }
  return items;
}

// Days in China time, each with the sum of its weights.

function perDay(entries) {
  const counts = new Map();
  for (const [at, weight] of entries.filter(([at]) => Boolean(at)).sort()) {
    const day = chinaDay(at);
    counts.set(day, (counts.get(day) || 0) + weight);
  }
  return { labels: [...counts.keys()], data: [...counts.values()] };
}

function bar(title, labels, data) {
  return chart(title, { type: "bar", data: { labels, datasets: [{ label: title, data }] },
                        options: { plugins: { legend: { display: false } } } });
}

export async function render(main) {
  const [stats, open, decided, alerts] = await Promise.all([
    get("/v1/cases/stats"), everyCase("OPEN"), everyCase("DECIDED"),
    readable("/v1/rumours/alerts")]);
  const categories = Object.keys(stats.categories).sort();
  const cases = [...open, ...decided];
  // A case counts its reports on the day it opened: the listing carries no report's own time.
  const received = perDay(cases.map((item) => [item.opened_at, item.reports]));
  // A case breaches at its deadline: open past it, or decided after it (PA2020-20).
  const breaches = perDay(cases.map((item) => [item.overdue ? item.breached_at || item.due_at : null, 1]));
  main.replaceChildren(
    h("h1", {}, t("dash.title")),
    h("p", { class: "muted" }, when(stats.from), " – ", when(stats.to), ` · ${stats.article}`),
    h("div", { class: "charts" },
      bar(t("dash.on_time"), categories, categories.map((c) => stats.categories[c].on_time_share)),
      bar(t("dash.median"), categories, categories.map((c) => stats.categories[c].median_hours_to_decision)),
      bar(t("dash.received"), received.labels, received.data),
      bar(t("dash.breaches"), breaches.labels, breaches.data)),
    table([t("queue.category"), "open", "open_overdue", "decided", "decided_late", "violations", t("dash.on_time"), t("dash.median")],
      categories.map((c) => {
        const row = stats.categories[c];
        return h("tr", {}, h("td", {}, c), h("td", {}, row.open), h("td", {}, row.open_overdue), h("td", {}, row.decided),
          h("td", {}, row.decided_late), h("td", {}, row.violations), h("td", {}, row.on_time_share ?? "—"),
          h("td", {}, row.median_hours_to_decision ?? "—"));
      })),
    h("h2", {}, t("dash.alerts")),
    alerts === null ? denied() : alerts.items.length ? table(["rumour", "hour", "sightings", "threshold"], alerts.items.map((item) => h("tr", {},
      h("td", { class: "mono" }, item.rumour_id), h("td", {}, item.hour), h("td", {}, item.sightings),
      h("td", {}, item.threshold_per_hour)))) : h("p", { class: "muted" }, t("none")),
    h("h2", {}, t("dash.flags")), h("p", { class: "muted" }, t("dash.flags_note")));
}
