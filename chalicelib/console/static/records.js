// Records: the audit trail and its verification (GR2017-11, PA2017-11, PA2017-13), filing exports with their
// manifests (MB2018-9/10, PA2020-19), and the policy with a merge-patch editor (RFC 7396).
import { allowed, call, get, query } from "./api.js";
import { t } from "./i18n.js";
import { badge, field, h, problem, table, when } from "./dom.js";

function auditRow(event, broken) {
  const isBroken = broken && event.seq >= broken.seq;
  return h("tr", { class: isBroken ? "overdue" : "" }, h("td", {}, event.seq), h("td", {}, when(event.at)), h("td", {}, event.type),
    h("td", {}, event.actor, event.x_actor ? h("div", { class: "mono" }, event.x_actor) : null),
    h("td", { class: "mono", title: event.hash }, event.hash.slice(0, 12)), h("td", { class: "mono" }, event.prev_hash.slice(0, 12)));
}

async function audit() {
  const out = h("div", { "aria-live": "polite", id: "verification" });
  const rows = h("tbody", {});
  let next = 1;
  let broken = null;
  const more = h("button", { type: "button" }, t("rec.more"));
  const load = async () => {
    const answer = await get(`/v1/audit${query({ from_seq: next, limit: 25 })}`);
    rows.append(...answer.items.map((event) => auditRow(event, broken)));
    next = answer.next_from_seq;
    more.hidden = !next;
  };
  more.addEventListener("click", () => load().catch((error) => out.replaceChildren(problem(error))));
  const verify = h("button", { type: "button", class: "primary", onclick: async () => {
    try {
      const answer = (await call("POST", "/v1/audit/verify", {})).body;
      broken = answer.first_broken;
      out.replaceChildren(h("p", {}, answer.verified ? badge(t("rec.verified"), "ok") : badge(t("rec.broken"), "bad"),
        ` ${answer.checked} · `, when(answer.checked_at),
        broken ? ` · seq ${broken.seq}: ${broken.reason}` : "", answer.expired_through ? ` · expired through ${answer.expired_through}` : ""));
      rows.replaceChildren();
      next = 1;
      await load();
    } catch (error) {
      out.replaceChildren(problem(error));
    }
  } }, t("rec.verify"));
  await load();
  return h("section", {}, h("h2", {}, t("rec.audit")), verify, out,
    h("table", {}, h("thead", {}, h("tr", {}, ["seq", "at", "type", "actor", "hash", "prev"].map((name) => h("th", { scope: "col" }, name)))), rows),
    more);
}

async function filings() {
  const answer = await get(`/v1/filings${query({ limit: 20 })}`);
  return h("section", {}, h("h2", {}, t("rec.filings")), answer.items.length === 0 ? h("p", { class: "muted" }, t("none")) :
    answer.items.map((filing) => h("div", { class: "card filing" }, h("h3", {}, filing.period, " · ", when(filing.generated_at)),
      h("p", {}, filing.manifest_url ? h("a", { href: filing.manifest_url, rel: "noopener noreferrer" }, t("rec.manifest")) : filing.manifest_key,
        ` · ${filing.generator_version} · ${JSON.stringify(filing.totals)}`),
      table(["file", "records", "bytes", "sha256"], filing.files.map((file) => h("tr", {},
        h("td", {}, file.url ? h("a", { href: file.url, rel: "noopener noreferrer" }, file.key) : file.key),
        h("td", {}, file.records), h("td", {}, file.bytes), h("td", { class: "mono" }, file.sha256.slice(0, 16))))))));
}

async function policy() {
  const { body, headers } = await call("GET", "/v1/policy");
  const etag = headers.get("ETag");
  const section = h("section", { id: "policy" }, h("h2", {}, `${t("rec.policy")} · v${body.version}`),
    h("p", {}, `${t("rec.overrides")}:`), h("pre", { class: "text" }, JSON.stringify(body.overrides, null, 2)));
  if (!allowed("PUT", "/v1/policy", "admin")) return section;
  const editor = h("textarea", { class: "code", name: "patch", spellcheck: "false" }, "{\n  \n}");
  const preview = h("pre", { class: "text", "aria-live": "polite" });
  const out = h("div", { "aria-live": "polite" });
  const show = () => {
    try {
      preview.textContent = JSON.stringify(JSON.parse(editor.value), null, 2);
    } catch (error) {
      preview.textContent = String(error.message);
    }
  };
  editor.addEventListener("input", show);
  const form = h("form", { class: "card" }, field(t("rec.patch"), editor), h("p", {}, t("rec.preview")), preview,
    h("button", { type: "submit", class: "primary" }, t("rec.save")), out);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let patch;
    try {
      patch = JSON.parse(editor.value);
    } catch (error) {
      out.replaceChildren(problem({ code: "MALFORMED_JSON", message: error.message }));
      return;
    }
    try {
      await call("PUT", "/v1/policy", patch, etag ? { "If-Match": etag } : {});
      out.replaceChildren(badge(t("rec.saved"), "ok"));
      section.replaceWith(await policy());
    } catch (error) {
      out.replaceChildren(problem(error));
    }
  });
  show();
  section.append(form);
  return section;
}

export async function render(main) {
  const parts = await Promise.all([audit(), filings(), policy()]);
  main.replaceChildren(h("h1", {}, t("rec.title")), ...parts);
}
