// The console's frame: sign-in, the page router (#/queue, #/case/{id}, ...), language and navigation.
import { ApiError, allowed, forget, ready, session, signIn } from "./api.js";
import { lang, setLang, t, translateStatic } from "./i18n.js";
import { denied, field, h, loading, problem } from "./dom.js";
import { releaseCharts } from "./charts.js";
import * as queue from "./queue.js";
import * as casePage from "./case.js";
import * as appeals from "./appeals.js";
import * as subject from "./subject.js";
import * as dashboard from "./dashboard.js";
import * as lexicon from "./lexicon.js";
import * as records from "./records.js";

const PAGES = { queue, appeals, subject, dashboard, lexicon, records };
const ACTOR = /^[A-Za-z0-9_.:@-]{1,128}$/;
const main = document.getElementById("main");

function signInPage() {
  const key = h("input", { name: "key", type: "password", autocomplete: "off", required: true, maxlength: 256, id: "key" });
  const actor = h("input", { name: "actor", autocomplete: "username", required: true, maxlength: 128, id: "actor",
                             pattern: "[A-Za-z0-9_.:@\\-]{1,128}" });
  const errors = h("div", {});
  const form = h("form", { class: "card signin", id: "signin" }, h("h1", {}, t("signin.title")),
    field(t("signin.key"), key), field(t("signin.actor"), actor), h("p", { class: "muted" }, t("signin.note")),
    h("button", { type: "submit", class: "primary" }, t("signin.go")), errors);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await signIn(key.value.trim(), actor.value.trim());
      window.location.hash = "#/queue";
      route();
    } catch (error) {
      errors.replaceChildren(error instanceof ApiError && error.status === 401
        ? h("div", { class: "error", role: "alert" }, t("signin.bad")) : problem(error));
      key.focus();
    }
  });
  main.replaceChildren(form);
  key.focus();
}

// A key that may decide nothing (an inspector's) reads the console; the pages it may not read are not offered.
function writes() {
  return allowed("POST", "/v1/cases/{case_id}/decision", "moderation");
}

const READS = { appeals: ["GET", "/v1/appeals", "moderation"], lexicon: ["GET", "/v1/names/terms", "lexicon"] };

function frame(current) {
  const signedIn = session();
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("signout").hidden = !signedIn;
  const who = document.getElementById("who");
  who.textContent = signedIn
    ? `${signedIn.tenant.name || signedIn.tenant.tenant_id} · ${signedIn.actor}${writes() ? "" : ` · ${t("readonly")}`}` : "";
  for (const link of document.querySelectorAll("#nav a")) {
    const read = READS[link.getAttribute("href").slice(2)];
    link.hidden = Boolean(signedIn && read && !allowed(...read));
    if (link.getAttribute("href") === `#/${current}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

let drawing = 0;

async function route() {
  const mine = ++drawing;  // a later navigation wins: an earlier page still loading draws nothing
  translateStatic();
  const [path, search] = (window.location.hash.replace(/^#\/?/, "") || "queue").split("?");
  const [name, ...rest] = path.split("/");
  releaseCharts();
  delete main.dataset.page;
  if (!session()) {
    frame("");
    signInPage();
    main.dataset.page = "signin";
    return;
  }
  const page = name === "case" ? casePage : PAGES[name] || queue;
  try {
    await ready();
  } catch (error) {
    main.replaceChildren(problem(error));
    return;
  }
  if (mine !== drawing) return;
  frame(name === "case" ? "queue" : name);
  main.replaceChildren(loading());
  // A page draws through this view: once the reviewer has moved on, what it draws is dropped.
  const view = { replaceChildren: (...nodes) => mine === drawing
    && main.replaceChildren(...nodes.flat().filter((node) => node !== null && node !== undefined && node !== false)) };
  try {
    await page.render(view, new URLSearchParams(search || ""), decodeURIComponent(rest.join("/")));
    if (mine !== drawing) return;
    main.dataset.page = name || "queue";
    document.title = `${main.querySelector("h1")?.textContent || ""} · ${t("brand")}`;
  } catch (error) {
    if (mine !== drawing) return;
    if (error instanceof ApiError && error.status === 403) {
      main.replaceChildren(h("h1", {}, t(name === "case" ? "case.title" : `nav.${name}`)), denied());
      main.dataset.page = name || "queue";
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      forget();
      route();
      return;
    }
    main.replaceChildren(problem(error), h("button", { type: "button", onclick: route }, t("retry")));
  }
  main.focus();
}

document.getElementById("lang").addEventListener("click", () => {
  setLang(lang() === "en" ? "zh" : "en");
  route();
});
document.getElementById("signout").addEventListener("click", () => {
  forget();
  window.location.hash = "";
  route();
});
window.addEventListener("hashchange", route);
route();
