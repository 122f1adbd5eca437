// Case (MB2018-14, PA2020-20): the target, every report, the deadline; the decision with its dispositions
// (GR2017-11, PA2020-19) and, once decided, the feedback state of every report.
import { allowed, call, enums, get, requestSchema } from "./api.js";
import { t } from "./i18n.js";
import { badge, field, h, highlighted, problem, select, table, when } from "./dom.js";

function evidence(items) {
  return (items || []).map((item) => item.url
    ? h("div", {}, h("a", { href: item.url, rel: "noopener noreferrer", target: "_blank" }, item.url))
    : h("div", { class: "mono" }, `sha256 ${item.sha256}`));
}

// A CHECK case keeps each check's hits (bounded) as its evidence: the spans are shown in the text when the
// case carries it, and listed either way.
function checkEvidence(evidence) {
  if (!evidence || typeof evidence !== "object" || Array.isArray(evidence)) return null;
  return Object.entries(evidence).map(([slot, entry]) => h("div", { class: "check" },
    h("h3", {}, `${slot} · ${entry.decision || ""}`, entry.checked_at ? [" · ", when(entry.checked_at)] : ""),
    typeof entry.text === "string" ? highlighted(entry.text, (entry.hits || []).filter((hit) => Array.isArray(hit.span)).map((hit) => hit.span)) : null,
    table(["code", "term", "span", "article"], (entry.hits || []).map((hit) => h("tr", {}, h("td", {}, hit.code || ""),
      h("td", {}, hit.term || ""), h("td", {}, Array.isArray(hit.span) ? `[${hit.span[0]}, ${hit.span[1]})` : ""),
      h("td", {}, hit.article || "")))),
    entry.hits_total > (entry.hits || []).length ? h("p", { class: "muted" }, `${entry.hits.length} / ${entry.hits_total}`) : null));
}

function feedbackState(report) {
  if (!report.feedback_at) return badge(t("case.not_answered"), "warn");
  return h("span", {}, badge(t("case.feedback_at"), "ok"), " ", when(report.feedback_at),
           report.feedback_seen_at ? h("span", {}, " · ", t("case.feedback_seen"), " ", when(report.feedback_seen_at)) : null);
}

function reportRow(report) {
  const reporter = report.anonymous ? t("case.anonymous") : report.reporter_account_id || "—";
  return h("tr", { dataset: { reportId: report.report_id } },
    h("td", {}, h("div", { class: "mono" }, report.report_id), when(report.received_at)),
    h("td", {}, reporter, report.contact_masked ? h("div", { class: "mono" }, report.contact_masked) : null),
    h("td", {}, report.category, h("div", { class: "text" }, report.description || "")),
    h("td", {}, evidence(report.evidence)),
    h("td", { class: "feedback" }, feedbackState(report)));
}

function dispositionFieldset(kinds, target, subjectId, onRemove) {
  const targetType = ["ACCOUNT", "GROUP", "SUBJECT"].includes(target.type) ? target.type : "ACCOUNT";
  const box = h("fieldset", { class: "disposition" },
    h("legend", {}, t("case.add_disposition")),
    h("div", { class: "row" },
      field(t("disp.type"), select("type", kinds.dispositions.map((v) => [v, v]), "WARNING")),
      field(t("disp.target_type"), select("target_type", [["ACCOUNT", "ACCOUNT"], ["GROUP", "GROUP"], ["SUBJECT", "SUBJECT"]], targetType)),
      field(t("disp.target_id"), h("input", { name: "target_id", value: target.id, maxlength: 128, required: true })),
      field(t("disp.duration"), h("input", { name: "duration_hours", type: "number", min: 1, max: 876000 })),
      field(t("disp.subject"), h("input", { name: "subject_id", value: subjectId || "", pattern: "sub_[0-9a-f]{40}" }))),
    h("fieldset", {}, h("legend", {}, t("disp.blacklist")),
      kinds.blacklists.map((v) => h("label", {}, h("input", { type: "checkbox", name: "blacklist", value: v }), ` ${v}`))),
    h("button", { type: "button", onclick: onRemove }, t("case.remove")));
  return box;
}

function readDisposition(box, ground, statement, caseId) {
  const value = (name) => box.querySelector(`[name="${name}"]`).value.trim();
  const item = { target: { type: value("target_type"), id: value("target_id") }, type: value("type"),
                 ground: { article: ground, category: box.dataset.category }, statement, automated: false, case_id: caseId };
  if (value("duration_hours")) item.duration_hours = Number(value("duration_hours"));
  if (value("subject_id")) item.subject_id = value("subject_id");
  const lists = [...box.querySelectorAll('[name="blacklist"]:checked')].map((input) => ({ type: input.value }));
  if (lists.length) item.blacklist = lists;
  return item;
}

const HANDLED = new Set(["outcome", "statement", "ground", "dispositions"]);

// Whatever else the decision schema asks for (a new field lands in the API first) gets a labelled control.
function extraControls(schema) {
  const controls = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (HANDLED.has(name) || !property) continue;
    const required = schema.required.includes(name);
    let control = null;
    if (Array.isArray(property.enum)) {
      control = select(name, [...(required ? [] : [["", "—"]]), ...property.enum.map((v) => [String(v), String(v)])], "");
    } else if (property.type === "boolean") {
      control = h("input", { type: "checkbox", name });
    } else if (property.type === "string") {
      control = h("input", { name, maxlength: property.maxLength, required });
    } else if (property.type === "integer") {
      control = h("input", { name, type: "number", min: property.minimum, max: property.maximum, required });
    }
    if (control) {
      control.dataset.extra = property.type === "boolean" ? "boolean" : property.type === "integer" ? "integer" : "text";
      controls.push(field(`${name}${property.description ? ` — ${property.description}` : ""}`, control));
    }
  }
  return controls;
}

function readExtras(form, body) {
  for (const control of form.querySelectorAll("[data-extra]")) {
    if (control.dataset.extra === "boolean") body[control.name] = control.checked;
    else if (control.value !== "") body[control.name] = control.dataset.extra === "integer" ? Number(control.value) : control.value;
  }
}

function outcomes(item, schema) {
  const allowed = (schema.properties.outcome && schema.properties.outcome.enum) || ["NO_VIOLATION", "VIOLATION"];
  const forSource = item.source === "CHECK" ? ["APPROVE", "REJECT"] : ["NO_VIOLATION", "VIOLATION"];
  const shown = allowed.filter((value) => forSource.includes(value));
  return (shown.length ? shown : allowed).map((value) => [value, t(`case.${value}`)]);
}

function decisionForm(item, kinds, schema, onDecided) {
  const list = h("div", {});
  const errors = h("div", {});
  const choices = outcomes(item, schema);
  const outcome = select("outcome", choices, choices[choices.length - 1][0]);
  const ground = h("input", { name: "ground", value: "PA2020-20", minlength: 2, maxlength: 40, required: true });
  const statement = h("textarea", { name: "statement", rows: 3, maxlength: 2000, required: true });
  const add = () => {
    const box = dispositionFieldset(kinds, { type: item.target.type, id: item.target_account_id || item.target.id }, "",
                                    () => box.remove());
    box.dataset.category = item.category;
    list.append(box);
    box.querySelector("select").focus();
  };
  const form = h("form", { class: "card", id: "decision", "aria-labelledby": "decide-title" },
    h("h2", { id: "decide-title" }, t("case.decide")),
    h("div", { class: "row" }, field(t("case.outcome"), outcome), field(t("case.ground"), ground)),
    field(t("case.statement"), statement), h("div", { class: "row" }, extraControls(schema)), list,
    h("div", { class: "row" }, h("button", { type: "button", onclick: add }, t("case.add_disposition")),
      h("button", { type: "submit", class: "primary" }, t("case.submit"))), errors);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    const body = { outcome: outcome.value, ground: ground.value.trim(), statement: statement.value };
    readExtras(form, body);
    const boxes = [...list.querySelectorAll("fieldset.disposition")];
    if (boxes.length) body.dispositions = boxes.map((box) => readDisposition(box, body.ground, body.statement, item.case_id));
    form.querySelector('[type="submit"]').disabled = true;
    try {
      await call("POST", `/v1/cases/${encodeURIComponent(item.case_id)}/decision`, body);
      onDecided();
    } catch (error) {
      errors.replaceChildren(problem(error));
      form.querySelector('[type="submit"]').disabled = false;
    }
  });
  return form;
}

function decisionSummary(decision) {
  return h("div", { class: "card", id: "decided" }, h("h2", {}, t("case.decided")),
    h("p", {}, badge(t(`case.${decision.outcome}`), ["VIOLATION", "REJECT"].includes(decision.outcome) ? "bad" : "ok"), " ",
      decision.ground, " · ", when(decision.decided_at), decision.late ? badge(t("queue.overdue"), "bad") : null),
    decision.decided_by ? h("p", {}, `${t("case.decided_by")}: `, h("span", { class: "decided-by" }, decision.decided_by)) : null,
    h("div", { class: "text" }, decision.statement),
    decision.disposition_ids.length ? h("p", { class: "mono" }, decision.disposition_ids.join(", ")) : null);
}

export async function render(main, params, caseId) {
  const path = `/v1/cases/${encodeURIComponent(caseId)}`;
  const [item, reports, kinds, schema] = await Promise.all([get(path), get(`${path}/reports?limit=200`), enums(),
                                                            requestSchema("case_decision_request")]);
  const reload = () => render(main, params, caseId).then(() => document.getElementById("decided")?.focus());
  const checks = checkEvidence(item.evidence);
  main.replaceChildren(
    h("h1", {}, `${t("case.title")} ${item.case_id} `, badge(item.status, item.status === "OPEN" ? "warn" : "ok"),
      item.overdue ? badge(t("queue.overdue"), "bad") : null),
    h("div", { class: "card" },
      h("p", {}, `${t("case.target")}: `, h("strong", {}, `${item.target.type} ${item.target.id}`),
        item.target_account_id ? ` (${item.target_account_id})` : ""),
      h("p", {}, `${t("case.deadline")}: `, when(item.due_at),
        ` · ${t("case.rule")}: ${item.deadline_rule || "reports.due_hours"}${item.deadline_hours ? ` (${item.deadline_hours} h)` : ""}, PA2020-20`),
      h("p", {}, `${t("queue.source")}: ${t(`source.${item.source || "REPORT"}`)}`,
        item.order ? ` · ${item.order.authority || ""} ${item.order.reference || ""}` : ""),
      item.description ? h("div", { class: "text" }, item.description) : null,
      h("p", {}, `${t("queue.category")}: ${Object.entries(item.categories).map(([k, v]) => `${k} ×${v}`).join(", ")}`,
        ` · ${t("queue.priority")}: ${item.priority}`),
      checks),
    h("h2", {}, `${t("case.reports")} (${reports.items.length})`),
    table([t("case.reports"), t("case.reporter"), t("queue.category"), t("case.evidence"), t("case.feedback")],
          reports.items.map(reportRow)),
    item.decision ? decisionSummary(item.decision) : null,
    item.status === "OPEN" && allowed("POST", "/v1/cases/{case_id}/decision", "moderation") ? decisionForm(item, kinds, schema, reload) : null);
  const decided = document.getElementById("decided");
  if (decided) decided.tabIndex = -1;
}
