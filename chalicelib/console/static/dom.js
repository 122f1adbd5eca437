// Every value from the API reaches the page as text (textContent, attribute values): never as markup.
import { lang, t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const CHINA = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit",
                                                 day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

// 2026-01-05 13:00 in China time, one spelling in both languages (no day/month order to guess).
function chinaTime(date) {
  const part = Object.fromEntries(CHINA.formatToParts(date).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

// China time on the page, the UTC instant on hover (and in the datetime attribute).
export function when(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h("span", {}, iso);
  return h("time", { datetime: date.toISOString(), title: `UTC ${date.toISOString().replace(".000Z", "Z")}` },
           `${chinaTime(date)} (UTC+8)`);
}

const DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

// The day in China of an instant (the day an inspector means): 2026-12-02.
export function chinaDay(iso) {
  return DAY.format(new Date(iso));
}

export function table(headers, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map((name) => h("th", { scope: "col" }, name)))),
           h("tbody", {}, rows));
}

export function badge(text, kind = "") {
  return h("span", { class: `badge ${kind}` }, text);
}

// The text with each [start, end) span marked; spans may overlap or repeat.
export function highlighted(text, spans) {
  const marked = new Array(text.length).fill(false);
  for (const [start, end] of spans) for (let i = Math.max(0, start); i < Math.min(end, text.length); i += 1) marked[i] = true;
  const parts = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && marked[j] === marked[i]) j += 1;
    parts.push(marked[i] ? h("mark", {}, text.slice(i, j)) : text.slice(i, j));
    i = j;
  }
  return h("div", { class: "text" }, parts);
}

export function field(labelText, control) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h("div", {}, h("label", { for: id }, labelText), control);
}

export function select(name, options, chosen) {
  return h("select", { name }, options.map(([value, text]) => h("option", { value, selected: value === chosen }, text)));
}

export function problem(error) {
  const message = lang() === "zh" ? error.message_zh || error.message : error.message;
  return h("div", { class: "error", role: "alert" }, `${t("error")}: ${error.code ?? ""} ${message ?? ""}`,
           error.details ? h("pre", {}, JSON.stringify(error.details, null, 2)) : null);
}

export function denied() {
  return h("p", { class: "notice" }, t("denied"));
}

export function loading() {
  return h("p", { class: "muted" }, t("loading"));
}
