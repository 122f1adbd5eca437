// Appeals (PA2020-20, RL2020-11): pending by deadline; uphold, or overturn and see what it reverses.
import { allowed, call, get, query } from "./api.js";
import { t } from "./i18n.js";
import { badge, field, h, problem, when } from "./dom.js";

async function reversible(ids) {
  const found = await Promise.all(ids.map((id) => get(`/v1/dispositions/${encodeURIComponent(id)}`).catch(() => null)));
  return found.filter((item) => item && item.status !== "REVOKED");
}

function decide(appeal, onDone) {
  const statement = h("textarea", { rows: 2, maxlength: 2000, required: true, name: "statement" });
  const errors = h("div", {});
  const send = (outcome) => async () => {
    errors.replaceChildren();
    if (!statement.value.trim()) { statement.focus(); statement.reportValidity(); return; }
    try {
      await call("POST", `/v1/appeals/${encodeURIComponent(appeal.appeal_id)}/decision`, { outcome, statement: statement.value });
      onDone();
    } catch (error) {
      errors.replaceChildren(problem(error));
    }
  };
  return h("div", { class: "appeal-decision" }, field(t("appeals.statement"), statement),
    h("div", { class: "row" }, h("button", { type: "button", onclick: send("UPHELD") }, t("appeals.uphold")),
      h("button", { type: "button", class: "primary", onclick: send("OVERTURNED") }, t("appeals.overturn"))), errors);
}

async function card(appeal, onDone) {
  const effects = await reversible(appeal.disposition_ids);
  return h("div", { class: "card", dataset: { appealId: appeal.appeal_id } },
    h("h2", {}, appeal.appeal_id, " ", badge(appeal.status, "warn")),
    h("p", {}, `${t("case.title")}: `, h("a", { href: `#/case/${encodeURIComponent(appeal.case_id)}` }, appeal.case_id),
      ` · ${t("queue.due")}: `, when(appeal.due_at)),
    h("p", {}, `${t("appeals.appellant")}: `, h("span", { class: "mono" }, appeal.subject_id), appeal.account_id ? ` (${appeal.account_id})` : ""),
    h("div", { class: "text" }, appeal.statement),
    h("h3", {}, t("appeals.reverses")),
    effects.length ? h("ul", {}, effects.map((item) => h("li", {}, `${item.type} → ${item.target.type} ${item.target.id}`,
      item.restricts.length ? ` (${item.restricts.join(", ")})` : "", item.ends_at ? [" · ", when(item.ends_at)] : "")))
      : h("p", { class: "muted" }, t("none")),
    allowed("POST", "/v1/appeals/{appeal_id}/decision", "moderation") ? decide(appeal, onDone) : null);
}

export async function render(main) {
  const answer = await get(`/v1/appeals${query({ status: "PENDING", limit: 100 })}`);
  const redraw = () => render(main);
  const cards = await Promise.all(answer.items.map((appeal) => card(appeal, redraw)));
  main.replaceChildren(h("h1", {}, t("appeals.title")), ...(cards.length ? cards : [h("p", { class: "muted" }, t("none"))]));
}
