// The console's only way to do anything: this API, with the key the reviewer pasted (session storage only,
// never local storage or a cookie) and their name as X-Actor, so the audit trail names who decided.
const BASE = window.location.pathname.replace(/\/console(\/.*)?$/, "");
const STORE = window.sessionStorage;

export class ApiError extends Error {
  constructor(status, envelope) {
    const error = (envelope && envelope.error) || { code: `HTTP_${status}`, message: `HTTP ${status}` };
    super(error.message);
    this.status = status;
    this.code = error.code;
    this.message_zh = error.message_zh;
    this.details = error.details;
  }
}

export function session() {
  const key = STORE.getItem("console.key");
  return key ? { key, actor: STORE.getItem("console.actor") || "", tenant: JSON.parse(STORE.getItem("console.tenant") || "{}") } : null;
}

export function forget() {
  for (const name of ["console.key", "console.actor", "console.tenant"]) STORE.removeItem(name);
}

export async function call(method, path, body, extraHeaders = {}) {
  const current = session();
  const headers = { Accept: "application/json", ...extraHeaders };
  if (current) headers["X-Api-Key"] = current.key;
  if (current && current.actor) headers["X-Actor"] = current.actor;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(BASE + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit",
    cache: "no-store", redirect: "error",
  });
  const text = await response.text();
  const answer = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, answer);
  return { body: answer, headers: response.headers };
}

export async function get(path) {
  return (await call("GET", path)).body;
}

export async function signIn(key, actor) {
  STORE.setItem("console.key", key);
  STORE.setItem("console.actor", actor);
  try {
    const tenant = await get("/v1/tenant");
    STORE.setItem("console.tenant", JSON.stringify(tenant));
    return tenant;
  } catch (error) {
    forget();
    throw error;
  }
}

let paths = null;
let schemas = null;
let schemaDefs = null;

async function loadSchemas() {
  if (!schemas) {
    const document = await get("/v1/openapi.json");
    paths = document.paths;
    schemas = document.components.schemas;
    schemaDefs = schemas.common.$defs;
  }
}

// The server's document, read once a page load: the scopes of every operation and the closed sets.
export async function ready() {
  await loadSchemas();
}

// May the key call this operation? GET /v1/tenant lists the key's scopes (a key from before scopes holds
// them all); the document says which scopes grant the operation (x-scope), `fallback` where it does not.
export function allowed(method, path, fallback) {
  const current = session();
  if (!current) return false;
  const held = current.tenant.scopes;
  if (!Array.isArray(held)) return true;
  const declared = paths && paths[path] && paths[path][method.toLowerCase()];
  const granting = declared && Array.isArray(declared["x-scope"]) ? declared["x-scope"] : [fallback];
  return granting.some((scope) => held.includes(scope));
}

// A read the key may not make (403) is shown as such, not as a failure of the page.
export async function readable(path) {
  try {
    return await get(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null;
    throw error;
  }
}

// A request body's schema as the server validates it, its $refs into the document resolved.
export async function requestSchema(name) {
  await loadSchemas();
  const resolve = (node, depth = 0) => {
    if (!node || typeof node !== "object" || depth > 4) return node;
    if (typeof node.$ref === "string") {
      const path = node.$ref.replace("#/components/schemas/", "").split("/");
      let target = schemas;
      for (const part of path) target = target && target[part];
      return resolve(target, depth + 1);
    }
    return node;
  };
  const schema = schemas[name] || { properties: {}, required: [] };
  const properties = Object.fromEntries(Object.entries(schema.properties || {}).map(([key, value]) => [key, resolve(value)]));
  return { properties, required: schema.required || [] };
}

// The closed sets (categories, disposition types, blacklists) come from the server's own document.
export async function enums() {
  await loadSchemas();
  const values = (name) => (schemaDefs[name] && schemaDefs[name].enum) || [];
  return {
    categories: values("ReportCategory"), dispositions: values("DispositionType"), blacklists: values("BlacklistType"),
    documents: values("DocumentType"), terms: values("TermCategory"), kinds: values("ProtectedKind"),
  };
}

export function query(params) {
  const pairs = Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== "");
  return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : "";
}
