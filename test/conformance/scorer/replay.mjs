#!/usr/bin/env node
// Vendored unchanged from our shared fidelity kit (shared/fidelity/replay.mjs) apart from this line; keep the two in sync.
// Conformance replay harness: replays recorded Auth0 Management API traffic (JSON Lines, see
// shared/fidelity/README.md) against a local emulator, maps recorded ids to the emulator's, and
// reports per family how many interactions the emulator reproduces (status, error text, keys, values).
//
// Usage: node replay.mjs RECORDINGS.jsonl [--only clients,connections,resource-servers,client-grants]
//                        [--json report.json] [--verbose] [--scenario SUBSTRING]
//                        [--recorded-management-client ID,...] [--no-auto-management-client]
// Env:   AUTH0_DOMAIN (loopback host:port), AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, NODE_EXTRA_CA_CERTS.
// Exit:  0 after a run (whatever the conformance), 2 when the emulator cannot be reached or will not
//        issue a token, 1 on a usage error or a non-loopback AUTH0_DOMAIN.

import { readFileSync, writeFileSync } from 'node:fs';
import crypto from 'node:crypto';

const FAMILIES = ['clients', 'connections', 'resource-servers', 'client-grants'];
const COLLECTION_KEY = { clients: 'clients', connections: 'connections', 'resource-servers': 'resource_servers', 'client-grants': 'client_grants' };
const PAGINATION_KEYS = new Set(['start', 'limit', 'total', 'next', 'length']);
// Keys whose value (and, for the key-set rule, presence) says nothing about fidelity.
const VOLATILE_KEYS = new Set(['id', 'client_id', 'client_secret', 'created_at', 'updated_at', 'deleted_at', 'signing_keys']);
const isVolatileKey = (k) => VOLATILE_KEYS.has(k) || /_at$/.test(k);
// Keys whose value names the tenant itself (present everywhere, equal nowhere).
const TENANT_VALUE_KEYS = new Set(['tenant']);
const REDACTED = new Set(['REDACTED', '[REDACTED]']);
const PATH_ACTIONS = new Set(['cimd']); // literal words in the object slot: /clients/cimd/register
// Auth0 id formats seen in the recordings: prefixed (con_, cgr_, cred_, org_, tok_, tpc_, cop_, uap_,
// rol_), 32-character client ids and 24-hex resource-server ids.
const PREFIXED_ID = /^(?:con|cgr|cred|org|tok|tpc|cop|uap|rol)_[A-Za-z0-9]{6,}$/;
const CLIENT_ID_RE = /^[A-Za-z0-9]{32}$/;
const HEX24_RE = /^[0-9a-f]{24}$/;
const looksLikeId = (s) => typeof s === 'string' && (PREFIXED_ID.test(s) || CLIENT_ID_RE.test(s) || HEX24_RE.test(s));
// Request-body places where a 32-char / 24-hex value is a reference to another object (elsewhere,
// e.g. options.client_id or express_configuration.okta_oin_client_id, it is an external value).
const REF_CONTEXTS = [/^(\[\])?\.client_id$/, /\.enabled_clients\[\]$/, /\.allowed_clients\[\]$/,
  /\.linked_clients\[\]\.client_id$/, /\.invitation_landing_client_id$/, /\.credentials\[\]\.id$/, /^\.id$/];
const MGMT_API_RE = /^https:\/\/[a-z0-9.-]+\.auth0\.com\/api\/v2\/?$/i;
const isSecretKey = (k) => typeof k === 'string' && (/(^|_)(secret|password|token|assertion)$/i.test(k)
  || /^(key|cert|pem|pkcs7?|private_?key|privatekey|signingcert|masterkey|saskey|storageaccesskey|servicepassword)$/i.test(k));

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const kindOf = (v) => (v === null ? 'empty' : Array.isArray(v) ? 'array' : typeof v);

class Unreachable extends Error {}
class UsageError extends Error {}

// ---------------------------------------------------------------- arguments and environment

function parseArgs(argv) {
  const opts = { file: null, only: [...FAMILIES], json: null, verbose: false, scenario: null, managementClients: [], autoManagementClients: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`); return argv[++i]; };
    if (a === '--only') opts.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a.startsWith('--only=')) opts.only = a.slice(7).split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--json') opts.json = value();
    else if (a.startsWith('--json=')) opts.json = a.slice(7);
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '--scenario') opts.scenario = value();
    else if (a === '--recorded-management-client') opts.managementClients.push(...value().split(',').filter(Boolean));
    else if (a === '--no-auto-management-client') opts.autoManagementClients = false;
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (!opts.file) opts.file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!opts.file) throw new UsageError('RECORDINGS.jsonl is required');
  const bad = opts.only.filter((f) => !FAMILIES.includes(f));
  if (bad.length) throw new UsageError(`--only: unknown family ${bad.join(', ')} (known: ${FAMILIES.join(', ')})`);
  return opts;
}

function readEnv() {
  const domain = (process.env.AUTH0_DOMAIN || '').trim().replace(/^https:\/\//, '').replace(/\/+$/, '');
  const clientId = process.env.AUTH0_CLIENT_ID || '';
  const clientSecret = process.env.AUTH0_CLIENT_SECRET || '';
  const missing = [['AUTH0_DOMAIN', domain], ['AUTH0_CLIENT_ID', clientId], ['AUTH0_CLIENT_SECRET', clientSecret]].filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new UsageError(`missing environment: ${missing.join(', ')}`);
  let url;
  try { url = new URL(`https://${domain}`); } catch { throw new UsageError(`AUTH0_DOMAIN is not host:port: ${domain}`); }
  if (url.pathname !== '/' || url.username || url.password || url.search) throw new UsageError(`AUTH0_DOMAIN must be host:port only, got ${domain}`);
  const host = url.hostname;
  if (!(host === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))) {
    throw new UsageError(`refusing to run: AUTH0_DOMAIN ${domain} is not a loopback address (127.x.x.x or localhost)`);
  }
  if (!process.env.NODE_EXTRA_CA_CERTS) process.stderr.write('warning: NODE_EXTRA_CA_CERTS is not set; a self-signed emulator certificate will be rejected\n');
  return { domain, host: url.host, clientId, clientSecret, mgmtAudience: `https://${domain}/api/v2/` };
}

// ---------------------------------------------------------------- recordings

function loadRecordings(file) {
  const rows = [];
  readFileSync(file, 'utf8').split('\n').forEach((line, n) => {
    if (!line.trim()) return;
    try { rows.push(JSON.parse(line)); } catch (e) { throw new UsageError(`${file}:${n + 1}: not JSON (${e.message})`); }
  });
  const bySource = new Map();
  for (const r of rows) {
    if (!bySource.has(r.source)) bySource.set(r.source, []);
    bySource.get(r.source).push(r);
  }
  return [...bySource.entries()].map(([source, rs]) => ({ source, rows: rs.sort((a, b) => a.index - b.index) }));
}

const segmentsOf = (path) => path.split('/'); // ['', 'api', 'v2', family, slot, ...]
function familyOf(path) {
  if (path === '/oauth/token') return 'oauth-token';
  const s = segmentsOf(path);
  return s[1] === 'api' && s[2] === 'v2' && FAMILIES.includes(s[3]) ? s[3] : 'other';
}
function pathShape(path) {
  return segmentsOf(path).map((seg, i) => {
    if (i < 4) return seg;
    if (i === 4) return PATH_ACTIONS.has(seg) ? seg : '{id}';
    return looksLikeId(seg) ? '{id}' : seg;
  }).join('/');
}
function queryPairs(query) {
  const pairs = [];
  for (const [k, v] of Object.entries(query || {})) for (const x of Array.isArray(v) ? v : [v]) pairs.push([k, String(x)]);
  return pairs;
}
function safeDecode(s) { try { return decodeURIComponent(s); } catch { return s; } }
const isNock = (row) => /^nock/.test(row.reserialized_how || '');
// Collections whose members are addressed as <collection>/<id> (where a deduplicated DELETE can be put back).
const OBJECT_COLLECTION = /^\/api\/v2\/(clients|connections|resource-servers|client-grants)$|^\/api\/v2\/clients\/[^/]+\/credentials$|\/scim-configuration\/tokens$/;
const isStructList = (row) => row.reserialized && !isNock(row);
// A GET whose last segment is a literal word (a collection or sub-collection), not an object id.
function isListPath(row) {
  const s = segmentsOf(row.path);
  if (s.length === 4) return true;
  const last = s[s.length - 1];
  return s.length > 5 && !looksLikeId(last);
}
function walkStrings(value, fn, path = '') {
  if (typeof value === 'string') fn(value, path);
  else if (Array.isArray(value)) value.forEach((v) => walkStrings(v, fn, `${path}[]`));
  else if (isObj(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, fn, `${path}.${k}`);
}
function idsIn(value) { const out = new Set(); walkStrings(value, (s) => { if (looksLikeId(s)) out.add(s); }); return out; }
function requestIds(row) {
  const out = idsIn(row.request_body);
  for (const seg of segmentsOf(row.path).slice(4)) if (looksLikeId(seg)) out.add(seg);
  for (const [, v] of queryPairs(row.query)) for (const t of v.match(/[A-Za-z0-9_]+/g) || []) if (looksLikeId(t)) out.add(t);
  return out;
}

// The recorders' own management client (go-auth0 tests put os.Getenv("AUTH0_CLIENT_ID") into a new
// connection's enabled_clients): a client id that several scenarios enable on connections and that no
// scenario creates. Every tenant has one, so it maps to AUTH0_CLIENT_ID (inside enabled_clients only).
function recordedManagementClients(scenarios) {
  const created = new Set();
  const users = new Map();
  for (const sc of scenarios) {
    for (const r of sc.rows) {
      if (r.method === 'POST' && isObj(r.response_body)) for (const k of ['client_id', 'id']) if (typeof r.response_body[k] === 'string') created.add(r.response_body[k]);
      const list = isObj(r.request_body) && Array.isArray(r.request_body.enabled_clients) ? r.request_body.enabled_clients : [];
      for (const id of list) if (CLIENT_ID_RE.test(id)) { if (!users.has(id)) users.set(id, new Set()); users.get(id).add(sc.source); }
    }
  }
  return [...users.entries()].filter(([id, srcs]) => !created.has(id) && srcs.size >= 2).map(([id]) => id);
}

// ---------------------------------------------------------------- synthetic key material
// The recordings replaced secrets in requests with "REDACTED"; an emulator that parses PEM (or checks
// a secret's length) needs real material, so PEM fields get a key pair / self-signed certificate made
// here and other secrets a random 48-character string.

let material = null;
function keyMaterial() {
  if (material) return material;
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const len = (n) => { if (n < 128) return Buffer.from([n]); const b = []; while (n > 0) { b.unshift(n & 0xff); n >>= 8; } return Buffer.from([0x80 | b.length, ...b]); };
  const tlv = (tag, ...parts) => { const body = Buffer.concat(parts); return Buffer.concat([Buffer.from([tag]), len(body.length), body]); };
  const seq = (...p) => tlv(0x30, ...p);
  const oid = (str) => {
    const n = str.split('.').map(Number); const bytes = [40 * n[0] + n[1]];
    for (const v of n.slice(2)) { const st = [v & 0x7f]; let x = v >> 7; while (x > 0) { st.unshift((x & 0x7f) | 0x80); x >>= 7; } bytes.push(...st); }
    return tlv(0x06, Buffer.from(bytes));
  };
  const time = (d) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
  const serial = crypto.randomBytes(8); serial[0] = (serial[0] & 0x7f) | 0x01;
  const alg = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('fidelity-replay')))));
  const now = new Date();
  const tbs = seq(tlv(0xa0, tlv(0x02, Buffer.from([2]))), tlv(0x02, serial), alg, name,
    seq(time(new Date(now - 864e5)), time(new Date(+now + 365 * 864e5))), name, publicKey.export({ type: 'spki', format: 'der' }));
  const cert = seq(tbs, alg, tlv(0x03, Buffer.concat([Buffer.from([0]), crypto.sign('sha256', tbs, privateKey)])));
  const certPem = `-----BEGIN CERTIFICATE-----\n${cert.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
  new crypto.X509Certificate(certPem); // throws if the DER above is malformed
  material = { certPem, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
  return material;
}
// Returns a copy of body with REDACTED key material replaced, and whether anything was replaced.
function synthesizeSecrets(body) {
  let changed = false;
  const visit = (v, key, parent) => {
    if (Array.isArray(v)) return v.map((x) => visit(x, key, parent));
    if (isObj(v)) { const o = {}; for (const [k, x] of Object.entries(v)) o[k] = visit(x, k, v); return o; }
    if (v !== 'REDACTED' || typeof key !== 'string') return v;
    const m = () => { changed = true; return keyMaterial(); };
    if (key === 'pem') {
      const wantsCert = parent && (parent.credential_type === 'x509_cert' || parent.credential_type === 'cert_subject_dn' || parent.parse_expiry_from_cert === true);
      return wantsCert ? m().certPem : m().publicKeyPem;
    }
    if (/cert/i.test(key)) return m().certPem;
    if (/^(key|private_key|privateKey)$/.test(key)) return m().privateKeyPem;
    changed = true;
    return crypto.randomBytes(36).toString('base64url'); // a plain secret: any long random string will do
  };
  return { body: visit(body, null, null), changed };
}

// ---------------------------------------------------------------- HTTP with rate-limit handling

function makeClient(env, stats) {
  let token = null;
  let pauseUntil = 0;
  const origin = `https://${env.domain}`;

  function retryDelay(headers, attempt) {
    const ra = headers.get('retry-after');
    if (ra) {
      const secs = Number(ra);
      const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(ra) - Date.now();
      if (Number.isFinite(ms)) return Math.min(Math.max(ms, 100), 60000);
    }
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.min(Math.max(reset * 1000 - Date.now() + 50, 100), 60000);
    return Math.min(1000 * 2 ** attempt, 30000);
  }
  function noteRateHeaders(headers) {
    const remaining = headers.get('x-ratelimit-remaining');
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (remaining !== null && Number(remaining) <= 0 && Number.isFinite(reset) && reset > 0) {
      pauseUntil = Math.min(reset * 1000 + 50, Date.now() + 60000);
    }
  }

  async function send(method, path, { query = [], body, form, headers = {}, auth = true } = {}) {
    const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const url = new URL(`${origin}${path}${qs ? `?${qs}` : ''}`);
    if (url.host !== env.host || url.protocol !== 'https:') throw new Error(`refusing to send to ${url.origin}`);
    const h = { accept: 'application/json', 'user-agent': 'tenantctl-fidelity-replay/1', ...headers };
    let payload;
    if (form) { payload = new URLSearchParams(form).toString(); h['content-type'] = 'application/x-www-form-urlencoded'; }
    else if (body !== undefined && body !== null) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    for (let attempt = 0, tokenRefreshed = false; ; attempt++) {
      if (auth) h.authorization = `Bearer ${token}`;
      const wait = pauseUntil - Date.now();
      if (wait > 0) { stats.rateLimitPauses++; await sleep(wait); }
      let res;
      try {
        res = await fetch(url, { method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(30000) });
      } catch (e) {
        const code = e.cause?.code || e.code || e.name;
        const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(String(code));
        const neverSent = code === 'ECONNREFUSED';
        if (!tls && attempt < 4 && (neverSent || method !== 'POST')) { await sleep(300 * 2 ** attempt); continue; }
        if (tls) throw new Unreachable(`TLS failure talking to ${origin} (${code}); is NODE_EXTRA_CA_CERTS set to the emulator's certificate?`);
        if (neverSent || method !== 'POST') throw new Unreachable(`cannot reach ${origin}: ${code} ${e.cause?.message || e.message}`);
        return { status: 0, text: '', body: null, headers: new Headers(), error: `network error: ${e.cause?.code || e.cause?.message || code}` };
      }
      const text = await res.text();
      noteRateHeaders(res.headers);
      if (res.status === 429 && attempt < 12) { stats.rateLimited429++; await sleep(retryDelay(res.headers, attempt)); continue; }
      if (res.status === 401 && auth && !tokenRefreshed) {
        tokenRefreshed = true; await refreshToken(); continue;
      }
      let parsed = null;
      if (text !== '') { try { parsed = JSON.parse(text); } catch { parsed = text; } }
      return { status: res.status, text, body: parsed, headers: res.headers };
    }
  }

  async function refreshToken() {
    const params = { grant_type: 'client_credentials', client_id: env.clientId, client_secret: env.clientSecret, audience: env.mgmtAudience };
    let r = await send('POST', '/oauth/token', { body: params, auth: false });
    if (r.status !== 200 && r.status !== 401 && r.status !== 403) r = await send('POST', '/oauth/token', { form: params, auth: false });
    if (r.status !== 200 || !isObj(r.body) || typeof r.body.access_token !== 'string') {
      const why = r.error || (isObj(r.body) ? r.body.error_description || r.body.message || r.body.error : '');
      throw new Unreachable(`the emulator would not issue a token: POST /oauth/token answered ${r.status}${why ? ` (${why})` : ''}`);
    }
    token = r.body.access_token;
  }

  return { send, refreshToken };
}

// ---------------------------------------------------------------- per-scenario state

class ScenarioState {
  constructor(scenario) {
    this.scenario = scenario;
    this.map = new Map(); // recorded id -> { emu, origin: 'created' | 'preexisting' | 'env', index }
    this.rev = new Map(); // emulator id -> recorded id
    this.failed = new Map(); // recorded id -> index of the replayed row that should have produced it
    this.sent = new Set(); // id-like values the recorded requests carried (never learned from responses)
    this.lastSeen = new Map(); // recorded id -> index of the last row that mentioned it
    this.selfPath = new Map(); // recorded id -> recorded path of the object (for gap repairs)
    this.keys = new Map(); // 'resource-servers|<identifier>' etc. -> { ok, recId }
    this.deletedPaths = new Set(); // recorded paths deleted by replayed DELETE rows
  }
  setMap(rec, emu, origin, index) {
    if (this.map.has(rec) || rec === emu || (this.rev.has(emu) && origin !== 'env')) return;
    if (this.failed.has(rec)) origin = 'created'; // a create that answered wrongly made the object after all
    this.map.set(rec, { emu, origin, index });
    if (origin !== 'env') this.rev.set(emu, rec);
    this.failed.delete(rec);
  }
  mapped(rec) { return this.map.get(rec)?.emu; }
  // Were rows removed by deduplication between the last mention of `id` and row `index`?
  gapSince(id, index) {
    const last = this.lastSeen.has(id) ? this.lastSeen.get(id) : -1;
    const between = this.scenario.rows.filter((r) => r.index > last && r.index < index).length;
    return index - last - 1 - between > 0;
  }
  deletedByReplay(path) {
    const s = segmentsOf(path);
    for (let n = s.length; n >= 5; n--) if (this.deletedPaths.has(s.slice(0, n).join('/'))) return true;
    return false;
  }
}

// ---------------------------------------------------------------- references and request building

function naturalKey(row) {
  const s = segmentsOf(row.path);
  const b = row.request_body;
  if (row.method !== 'POST' || s.length !== 4 || !isObj(b)) return null;
  const fam = s[3];
  if (fam === 'resource-servers' && typeof b.identifier === 'string') return `resource-servers|${b.identifier}`;
  if (fam === 'connections' && typeof b.name === 'string') return `connections|${b.name}`;
  if (fam === 'client-grants' && typeof b.client_id === 'string' && typeof b.audience === 'string') return `client-grants|${b.client_id}|${b.audience}`;
  return null;
}

// Every reference the recorded request makes to an object, with how it resolves in this scenario.
function collectRefs(row, st) {
  const refs = [];
  const idRef = (value, where) => {
    const m = st.map.get(value);
    // The recording's own management client stands for ours only as a member of enabled_clients.
    const res = m ? (m.origin === 'created' ? 'ok' : m.origin === 'env' && where === 'body' ? 'env' : 'preexisting') : st.failed.has(value) ? 'failed' : 'unmapped';
    refs.push({ kind: 'id', value, where, res });
  };
  const rsRef = (value, where) => {
    if (MGMT_API_RE.test(value)) { refs.push({ kind: 'api', value, where, res: 'env' }); return; }
    const k = st.keys.get(`resource-servers|${value}`);
    refs.push({ kind: 'api', value, where, res: k ? (k.ok ? 'ok' : 'failed') : 'unresolved' });
  };
  const s = segmentsOf(row.path);
  s.forEach((seg, i) => {
    if (i < 4) return;
    if (i === 4 && PATH_ACTIONS.has(seg)) return;
    if (st.map.has(seg) || looksLikeId(seg)) idRef(seg, 'path');
    else if (i === 4) {
      if (s[3] === 'resource-servers') rsRef(safeDecode(seg), 'path');
      else refs.push({ kind: 'key', value: seg, where: 'path', res: 'unresolved' });
    }
  });
  for (const [, v] of queryPairs(row.query)) for (const t of v.match(/[A-Za-z0-9_]+/g) || []) if (st.map.has(t) || looksLikeId(t)) idRef(t, 'query');
  walkStrings(row.request_body, (v, p) => {
    if (st.map.has(v) || PREFIXED_ID.test(v) || ((CLIENT_ID_RE.test(v) || HEX24_RE.test(v)) && REF_CONTEXTS.some((re) => re.test(p)))) idRef(v, 'body');
  });
  const b = row.request_body;
  if (isObj(b) && s.length === 4 && s[3] === 'client-grants' && row.method === 'POST' && typeof b.audience === 'string') rsRef(b.audience, 'body');
  if (isObj(b) && s[3] === 'clients' && typeof b.resource_server_identifier === 'string') rsRef(b.resource_server_identifier, 'body');
  return refs;
}

function buildRequest(row, st, env) {
  const mapStr = (v) => st.mapped(v) ?? v;
  const path = segmentsOf(row.path).map((seg, i) => (i >= 4 ? mapStr(seg) : seg)).join('/');
  const query = queryPairs(row.query).map(([k, v]) => {
    if (k === 'audience' && MGMT_API_RE.test(v)) return [k, env.mgmtAudience];
    return [k, v.replace(/[A-Za-z0-9_]+/g, (t) => st.mapped(t) ?? t)];
  });
  const mapBody = (v, key) => {
    if (typeof v === 'string') {
      if ((key === 'audience' || key === 'resource_server_identifier') && MGMT_API_RE.test(v)) return env.mgmtAudience;
      return mapStr(v);
    }
    if (Array.isArray(v)) return v.map((x) => mapBody(x, key));
    if (isObj(v)) { const o = {}; for (const [k, x] of Object.entries(v)) o[k] = mapBody(x, k); return o; }
    return v;
  };
  const { body, changed } = synthesizeSecrets(row.request_body === null ? null : mapBody(row.request_body, null));
  return { path, query, body, synthesized: changed };
}

// ---------------------------------------------------------------- learning recorded -> emulator ids

const itemId = (x) => (isObj(x) ? [x.id, x.client_id, x.token_id].find((v) => typeof v === 'string') : undefined);
function pairArrays(st, rec, emu, positional) {
  const pairs = [];
  if (rec.every((x) => typeof x === 'string')) {
    const mappedVals = new Set(rec.map((x) => st.mapped(x)).filter(Boolean));
    const U = rec.filter((x) => looksLikeId(x) && !st.map.has(x) && !st.sent.has(x));
    const V = emu.filter((x) => typeof x === 'string' && !mappedVals.has(x) && !rec.includes(x) && !st.rev.has(x));
    if (U.length === 1 && V.length === 1) pairs.push([U[0], V[0]]);
    return pairs;
  }
  const free = new Set(emu.map((_, i) => i));
  const natural = [
    (x, side) => { const id = itemId(x); return id === undefined ? undefined : side === 'rec' ? st.mapped(id) : id; },
    (x) => (typeof x?.identifier === 'string' ? x.identifier : undefined),
    (x, side) => (typeof x?.audience === 'string' && typeof x?.client_id === 'string' ? `${side === 'rec' ? st.mapped(x.client_id) ?? x.client_id : x.client_id}|${x.audience}` : undefined),
    (x) => (typeof x?.name === 'string' ? x.name : undefined),
    (x) => (typeof x?.kid === 'string' ? x.kid : undefined),
  ];
  const unpaired = [];
  rec.forEach((r) => {
    if (!isObj(r)) return;
    for (const key of natural) {
      const want = key(r, 'rec');
      if (want === undefined) continue;
      const hits = [...free].filter((i) => key(emu[i], 'emu') === want);
      if (hits.length === 1) { pairs.push([r, emu[hits[0]]]); free.delete(hits[0]); return; }
      if (hits.length > 1) break;
    }
    unpaired.push(r);
  });
  if (positional && unpaired.length && unpaired.length === free.size && rec.length === emu.length) {
    const rest = [...free];
    unpaired.forEach((r, i) => pairs.push([r, emu[rest[i]]]));
  }
  return pairs;
}
function learnFromResponse(st, rec, emu, origin, index, isList) {
  const L = isList ? listShape(rec) : null;
  const E = isList ? listShape(emu) : null;
  if (L && E) { for (const [a, b] of pairArrays(st, L.items, E.items, false)) learn(st, a, b, origin, index); return; }
  learn(st, rec, emu, origin, index);
}
function learn(st, rec, emu, origin, index) {
  if (typeof rec === 'string') {
    if (looksLikeId(rec) && !st.map.has(rec) && !st.sent.has(rec) && typeof emu === 'string' && emu) st.setMap(rec, emu, origin, index);
    return;
  }
  if (Array.isArray(rec) && Array.isArray(emu)) {
    for (const [a, b] of pairArrays(st, rec, emu, true)) learn(st, a, b, origin, index);
    return;
  }
  if (isObj(rec) && isObj(emu)) for (const k of Object.keys(rec)) if (k in emu) learn(st, rec[k], emu[k], origin, index);
}

// ---------------------------------------------------------------- comparison

function listShape(body) {
  if (Array.isArray(body)) return { kind: 'array', key: null, items: body, pagination: [] };
  if (!isObj(body)) return null;
  const keys = Object.keys(body);
  const arrays = keys.filter((k) => Array.isArray(body[k]));
  if (arrays.length !== 1 || !keys.every((k) => k === arrays[0] || PAGINATION_KEYS.has(k))) return null;
  return { kind: 'object', key: arrays[0], items: body[arrays[0]], pagination: keys.filter((k) => k !== arrays[0]) };
}
const describeList = (L) => (!L ? 'not a list' : L.kind === 'array' ? '[...]' : `{${[...L.pagination, L.key].sort().join(',')}}`);

function show(v, key) {
  if (v === undefined) return '(absent)';
  if (isSecretKey(key) && typeof v === 'string' && !REDACTED.has(v)) return '(masked)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(maskDeep(v));
  return s === undefined ? String(v) : s.length > 140 ? `${s.slice(0, 137)}...` : s;
}
function maskDeep(v) {
  if (Array.isArray(v)) return v.map(maskDeep);
  if (isObj(v)) { const o = {}; for (const [k, x] of Object.entries(v)) o[k] = isSecretKey(k) && typeof x === 'string' && !REDACTED.has(x) ? '(masked)' : maskDeep(x); return o; }
  return v;
}

// Recorded value vs emulator value, after id mapping. 'skip' when the recorded value holds an id the
// scenario never produced (nothing to compare it with).
function valueMatch(st, env, rec, emu) {
  if (typeof rec === 'string') {
    if (REDACTED.has(rec)) return 'equal';
    if (st.map.has(rec)) return emu === st.mapped(rec) ? 'equal' : 'differ';
    if (looksLikeId(rec) && !st.sent.has(rec)) return 'skip';
    const norm = MGMT_API_RE.test(rec) ? env.mgmtAudience : rec;
    return emu === norm ? 'equal' : 'differ';
  }
  if (Array.isArray(rec)) {
    if (!Array.isArray(emu) || emu.length !== rec.length) return 'differ';
    let out = 'equal';
    for (let i = 0; i < rec.length; i++) { const m = valueMatch(st, env, rec[i], emu[i]); if (m === 'differ') return m; if (m === 'skip') out = 'skip'; }
    return out;
  }
  if (isObj(rec)) {
    if (!isObj(emu)) return 'differ';
    let out = 'equal';
    for (const [k, v] of Object.entries(rec)) {
      if (isVolatileKey(k) && k !== 'id' && k !== 'client_id') continue;
      if (typeof v === 'string' && REDACTED.has(v)) continue;
      if (!(k in emu)) return 'differ';
      const m = valueMatch(st, env, v, emu[k]);
      if (m === 'differ') return m;
      if (m === 'skip') out = 'skip';
    }
    return out;
  }
  return rec === emu ? 'equal' : 'differ';
}

function compareKeys(recObj, emuObj, add, prefix = '') {
  const want = Object.keys(recObj).filter((k) => !isVolatileKey(k));
  const got = Object.keys(emuObj).filter((k) => !isVolatileKey(k));
  for (const k of want) if (!(k in emuObj)) add(`${prefix}missing key "${k}"`, show(recObj[k], k), '(absent)');
  for (const k of got) if (!(k in recObj)) add(`${prefix}extra key "${k}"`, '(absent)', show(emuObj[k], k));
}

function errorSummary(body) {
  if (isObj(body)) return [body.message, body.errorCode].filter(Boolean).map(String).join(' / ').slice(0, 160);
  return typeof body === 'string' ? body.slice(0, 120) : '';
}

function compareRow(row, res, st, env, ctx) {
  const reasons = [];
  const fam = familyOf(row.path);
  const shape = `${row.method} ${pathShape(row.path)}`;
  const add = (key, expected, got) => reasons.push({ key: `${fam}: ${key}`, expected, got });
  if (res.status !== row.status) {
    const why = res.error || errorSummary(res.body);
    add(`status ${row.status} → ${res.status || 'no answer'} on ${shape}`, String(row.status), `${res.status}${why ? ` ${why}` : ''}`);
    return reasons;
  }
  if (row.response_body_lost) return reasons;
  const rec = row.response_body;
  if (row.status >= 400) {
    if (!isObj(rec)) return reasons;
    const got = isObj(res.body) ? res.body : {};
    if (got.message !== rec.message) add('error message differs', show(rec.message), show(got.message));
    if (got.errorCode !== rec.errorCode) add('errorCode differs', show(rec.errorCode), show(got.errorCode));
    return reasons;
  }
  if (rec === null) {
    if (res.body !== null) add('body should be empty', '(empty)', kindOf(res.body));
    return reasons;
  }
  if (row.method === 'GET' && isListPath(row) && listShape(rec)) return compareList(row, res, st, ctx, add), reasons;
  if (!isObj(rec)) {
    if (kindOf(rec) !== kindOf(res.body)) add('body kind differs', kindOf(rec), kindOf(res.body));
    return reasons;
  }
  if (!isObj(res.body)) { add('body kind differs', 'object', kindOf(res.body)); return reasons; }
  // (c) whole key set where the recording kept it (not struct-rewritten; nock rows keep it too).
  if (!row.reserialized || isNock(row)) compareKeys(rec, res.body, add);
  // (d) reserialized rows: every recorded field present with an equal value.
  if (row.reserialized) {
    for (const [k, v] of Object.entries(rec)) {
      if (isVolatileKey(k) || (typeof v === 'string' && REDACTED.has(v))) continue;
      if (!(k in res.body)) { if (!isNock(row)) add(`missing key "${k}"`, show(v, k), '(absent)'); continue; }
      if (TENANT_VALUE_KEYS.has(k)) continue;
      if (valueMatch(st, env, v, res.body[k]) === 'differ') add(`value differs "${k}"`, show(v, k), show(res.body[k], k));
    }
  }
  return reasons;
}

function compareList(row, res, st, ctx, add) {
  const L = listShape(row.response_body);
  const E = listShape(res.body);
  if (!E || E.kind !== L.kind || E.key !== L.key) { add('list envelope differs', describeList(L), describeList(E) === 'not a list' ? kindOf(res.body) : describeList(E)); return; }
  if (L.kind === 'object') {
    const ignore = new Set(['next', ...(isStructList(row) ? ['length'] : [])]);
    const want = L.pagination.filter((k) => !ignore.has(k)).sort().join(',');
    const got = E.pagination.filter((k) => k !== 'next').sort().join(',');
    if (want !== got) add('list envelope differs', describeList({ ...L, pagination: want ? want.split(',') : [] }), describeList({ ...E, pagination: got ? got.split(',') : [] }));
    for (const k of ['start', 'limit']) if (k in row.response_body && k in res.body && row.response_body[k] !== res.body[k]) add(`list "${k}" differs`, show(row.response_body[k]), show(res.body[k]));
  }
  // A list of the whole tenant depends on what else the emulator holds: its shape is all that counts.
  if (!ctx.scoped) return;
  const keysIntact = !isStructList(row);
  const emuById = new Map(E.items.filter(isObj).map((x) => [itemId(x), x]));
  let allIdentified = true;
  for (const item of L.items) {
    const id = itemId(item);
    if (id === undefined) { allIdentified = false; continue; }
    const m = st.map.get(id);
    if (!m || m.origin !== 'created') continue;
    const got = emuById.get(m.emu);
    if (!got) { add('list lacks an object the scenario created', show(item.name ?? item.identifier ?? item.audience ?? 'the object'), '(absent)'); continue; }
    if (keysIntact && isObj(item)) compareKeys(item, got, add, 'list item ');
  }
  if (ctx.countable) {
    if (L.items.length !== E.items.length) add('list item count differs', String(L.items.length), String(E.items.length));
    else if (!allIdentified && keysIntact) {
      // Items without ids (keys, mappings) cannot be paired; compare the keys they use, in any order.
      const union = (items) => Object.fromEntries(items.filter((x) => isObj(x) && itemId(x) === undefined).flatMap((x) => Object.entries(x)));
      compareKeys(union(L.items), union(E.items), add, 'list item ');
    }
    if (L.kind === 'object' && 'total' in row.response_body && 'total' in res.body && row.response_body.total !== res.body.total) add('list "total" differs', show(row.response_body.total), show(res.body.total));
  }
}

// Is a list request confined to objects this scenario made (so its contents, not just its shape,
// are comparable)? Sub-collections of a created object are; top-level lists are when a filter names
// something the scenario created.
function listScope(row, st) {
  const s = segmentsOf(row.path);
  if (s.length > 4) return true;
  for (const [k, v] of queryPairs(row.query)) {
    if (k === 'client_id' && st.map.get(v)?.origin === 'created') return true;
    if ((k === 'audience' || k === 'identifiers') && v.split(',').some((x) => st.keys.get(`resource-servers|${x}`)?.ok)) return true;
    if (k === 'name' && st.keys.get(`${s[3]}|${v}`)?.ok) return true;
  }
  return false;
}

// ---------------------------------------------------------------- cleanup before a scenario

async function listAll(client, fam, headers) {
  const out = [];
  for (let page = 0; page < 200; page++) {
    const r = await client.send('GET', `/api/v2/${fam}`, { query: [['per_page', '100'], ['page', String(page)], ['include_totals', 'true']], headers });
    if (r.status !== 200) throw new Error(`GET /api/v2/${fam} answered ${r.status}`);
    const items = Array.isArray(r.body) ? r.body : isObj(r.body) && Array.isArray(r.body[COLLECTION_KEY[fam]]) ? r.body[COLLECTION_KEY[fam]] : [];
    out.push(...items);
    const total = isObj(r.body) ? r.body.total : undefined;
    if (!items.length || (typeof total === 'number' ? out.length >= total : items.length < 100)) break;
  }
  return out;
}

async function cleanScenario(client, env, scenario, headers, stats, log) {
  const names = { clients: new Set(), connections: new Set(), 'resource-servers': new Set() };
  for (const r of scenario.rows) {
    const s = segmentsOf(r.path);
    if (r.method !== 'POST' || s.length !== 4 || !isObj(r.request_body)) continue;
    if (s[3] === 'clients' && typeof r.request_body.name === 'string') names.clients.add(r.request_body.name);
    if (s[3] === 'connections' && typeof r.request_body.name === 'string') names.connections.add(r.request_body.name);
    if (s[3] === 'resource-servers' && typeof r.request_body.identifier === 'string' && !MGMT_API_RE.test(r.request_body.identifier)) names['resource-servers'].add(r.request_body.identifier);
  }
  if (!names.clients.size && !names.connections.size && !names['resource-servers'].size) return;
  const del = async (path, what) => {
    const r = await client.send('DELETE', path, { headers });
    if (r.status >= 200 && r.status < 300) stats.cleanupDeleted++;
    else { stats.cleanupFailed++; log(`  cleanup: DELETE ${what} answered ${r.status}`); }
  };
  try {
    const clients = names.clients.size ? await listAll(client, 'clients', headers) : [];
    const doomedClients = clients.filter((c) => names.clients.has(c.name));
    const isProtectedClient = (c) => c.global === true || c.client_id === env.clientId;
    const apis = names['resource-servers'].size ? await listAll(client, 'resource-servers', headers) : [];
    const doomedApis = apis.filter((a) => names['resource-servers'].has(a.identifier));
    const doomedClientIds = new Set(doomedClients.filter((c) => !isProtectedClient(c)).map((c) => c.client_id));
    const doomedAudiences = names['resource-servers'];
    if (doomedClientIds.size || doomedAudiences.size) {
      for (const g of await listAll(client, 'client-grants', headers)) {
        if (!doomedClientIds.has(g.client_id) && !doomedAudiences.has(g.audience)) continue;
        if (g.is_system === true || g.client_id === env.clientId) { stats.cleanupProtected++; continue; }
        await del(`/api/v2/client-grants/${encodeURIComponent(g.id)}`, `client grant ${g.id}`);
      }
    }
    for (const c of doomedClients) {
      if (isProtectedClient(c)) { stats.cleanupProtected++; continue; }
      await del(`/api/v2/clients/${encodeURIComponent(c.client_id)}`, `client "${c.name}"`);
    }
    if (names.connections.size) {
      for (const c of (await listAll(client, 'connections', headers)).filter((x) => names.connections.has(x.name))) {
        await del(`/api/v2/connections/${encodeURIComponent(c.id)}`, `connection "${c.name}"`);
      }
    }
    for (const a of doomedApis) {
      if (a.is_system === true) { stats.cleanupProtected++; continue; }
      await del(`/api/v2/resource-servers/${encodeURIComponent(a.id)}`, `resource server ${a.identifier}`);
    }
  } catch (e) {
    if (e instanceof Unreachable) throw e;
    stats.cleanupFailed++;
    log(`  cleanup failed: ${e.message}`);
  }
}

// ---------------------------------------------------------------- replaying one scenario

async function replayScenario(client, env, scenario, opts, stats, results, log) {
  const st = new ScenarioState(scenario);
  for (const id of opts.managementClients) st.setMap(id, env.clientId, 'env', -1);
  const hdr = (phase, index) => ({ 'x-replay-scenario': encodeURIComponent(scenario.source), 'x-replay-phase': phase, ...(index === undefined ? {} : { 'x-replay-index': String(index) }) });
  await cleanScenario(client, env, scenario, hdr('cleanup'), stats, log);

  const repair = async (recordedPath, why) => {
    const path = segmentsOf(recordedPath).map((seg, i) => (i >= 4 ? st.mapped(seg) ?? seg : seg)).join('/');
    const r = await client.send('DELETE', path, { headers: hdr('repair') });
    stats.gapRepairs++;
    if (opts.verbose) log(`  gap repair: DELETE ${pathShape(recordedPath)} (${why}) → ${r.status}`);
    st.deletedPaths.add(recordedPath);
  };

  for (const row of scenario.rows) {
    const fam = familyOf(row.path);
    const result = { source: scenario.source, index: row.index, method: row.method, path: row.path, shape: pathShape(row.path), family: fam, expected: row.status };
    const reqIds = requestIds(row);
    const respIds = idsIn(row.response_body);
    // Ids this row's answer introduces (the server made them here): never sent, never seen before.
    const serverIds = [...respIds].filter((id) => !reqIds.has(id) && !st.sent.has(id) && !st.lastSeen.has(id));
    const finish = () => {
      for (const id of [...reqIds, ...respIds]) st.lastSeen.set(id, row.index);
      if (opts.only.includes(fam)) results.push(result);
    };

    if (fam === 'oauth-token' || fam === 'other') { result.outcome = 'skipped'; result.note = fam === 'oauth-token' ? 'recorded /oauth/token (placeholder data)' : 'path outside the four families'; finish(); continue; }

    const refs = collectRefs(row, st);
    for (const id of reqIds) st.sent.add(id);
    const blocking = refs.filter((r) => r.res !== 'ok' && r.res !== 'env');
    const expectAbsent = row.status === 404;
    if (!expectAbsent && blocking.some((r) => r.res !== 'failed')) {
      const b = blocking.find((r) => r.res !== 'failed');
      result.outcome = 'not-replayable';
      result.note = b.res === 'preexisting' ? `references an object that existed before the scenario (${b.where})`
        : b.kind === 'api' ? `references an API the scenario did not create (${b.where})`
        : b.kind === 'key' ? 'addresses an object the scenario did not create'
        : `references an id the scenario did not create (${b.where})`;
      finish(); continue;
    }
    if (!expectAbsent && blocking.length) {
      result.outcome = 'mismatched';
      const at = st.failed.get(blocking[0].value) ?? st.keys.get(`resource-servers|${blocking[0].value}`)?.index;
      result.reasons = [{ key: `${fam}: prerequisite failed (an object an earlier step should have created is missing)`, expected: `the object from row #${at ?? '?'}`, got: 'the emulator did not create it' }];
      for (const id of serverIds) if (!st.map.has(id)) st.failed.set(id, row.index);
      finish(); continue;
    }

    // Deduplication removed most DELETEs (identical 204 rows); put back the ones the recording implies.
    const refIds = refs.map((r) => (r.kind === 'id' ? r.value : r.kind === 'api' ? st.keys.get(`resource-servers|${r.value}`)?.recId : undefined)).filter(Boolean);
    if (expectAbsent && row.method === 'GET' && refs.length && refs.every((r) => r.res === 'ok') && !st.deletedByReplay(row.path)
      && refIds.some((id) => st.gapSince(id, row.index))) {
      await repair(row.path, 'recording answers 404 after removed rows');
    }
    const key = naturalKey(row);
    const prior = key && st.keys.get(key);
    if (prior?.ok && prior.recId && st.selfPath.has(prior.recId) && !st.deletedByReplay(st.selfPath.get(prior.recId)) && st.gapSince(prior.recId, row.index)) {
      await repair(st.selfPath.get(prior.recId), 'same natural key created again after removed rows');
    }

    const req = buildRequest(row, st, env);
    if (req.synthesized) result.note = 'REDACTED secrets in the request replaced with generated ones';
    let res = await client.send(row.method, req.path, { query: req.query, body: req.body, headers: hdr('replay', row.index) });
    const isList = row.method === 'GET' && isListPath(row) && listShape(row.response_body);
    const ctx = {};
    if (isList) {
      ctx.scoped = listScope(row, st);
      ctx.countable = listShape(row.response_body).items.every((x) => {
        const id = itemId(x);
        return id === undefined || st.map.get(id)?.origin === 'created' || (!st.lastSeen.has(id) && !st.sent.has(id));
      });
      // A scoped list that still shows an object the recording no longer shows: its DELETE was deduplicated.
      const L = listShape(row.response_body);
      const E = res.status === 200 ? listShape(res.body) : null;
      if (ctx.scoped && E) {
        const recIds = new Set(L.items.map(itemId));
        const stale = E.items.map((x) => st.rev.get(itemId(x))).filter((r) => r && !recIds.has(r) && st.map.get(r)?.origin === 'created'
          && st.selfPath.get(r) === `${row.path}/${r}` && !st.deletedByReplay(st.selfPath.get(r)) && st.gapSince(r, row.index));
        if (stale.length) {
          for (const r of stale) await repair(st.selfPath.get(r), 'list still shows an object the recording dropped after removed rows');
          res = await client.send(row.method, req.path, { query: req.query, body: req.body, headers: { ...hdr('replay', row.index), 'x-replay-retry': '1' } });
        }
      }
    }
    // Learn the ids this answer introduces first, so that nested new ids (credentials made inside a
    // client create, say) can be compared too.
    const ok2xx = row.status >= 200 && row.status < 300 && res.status >= 200 && res.status < 300;
    if (ok2xx && row.response_body !== null) {
      const origin = isList && !ctx.scoped ? 'preexisting' : 'created';
      learnFromResponse(st, row.response_body, res.body, origin, row.index, Boolean(isList));
      if (isList && OBJECT_COLLECTION.test(row.path)) {
        for (const item of listShape(row.response_body).items) { const id = itemId(item); if (id && st.map.has(id) && !st.selfPath.has(id)) st.selfPath.set(id, `${row.path}/${id}`); }
      }
    }
    const reasons = compareRow(row, res, st, env, ctx).filter((r, i, all) => all.findIndex((x) => x.key === r.key) === i);
    if (isList) result.list = { scoped: Boolean(ctx.scoped), countable: Boolean(ctx.countable) };
    result.got = res.status;
    result.outcome = reasons.length ? 'mismatched' : 'matched';
    if (reasons.length) result.reasons = reasons;

    let created;
    if (row.method === 'POST' && row.status < 300 && isObj(row.response_body)) {
      created = [row.response_body.id, row.response_body.client_id, row.response_body.token_id].find((v) => looksLikeId(v) && !reqIds.has(v));
      if (created && OBJECT_COLLECTION.test(row.path)) st.selfPath.set(created, `${row.path}/${created}`);
      else if (created && CLIENT_ID_RE.test(created) && row.response_body.client_id === created) st.selfPath.set(created, `/api/v2/clients/${created}`);
      if (key) st.keys.set(key, { ok: ok2xx && (!created || st.map.has(created)), recId: created, index: row.index });
    }
    if (row.method === 'DELETE' && row.status < 300) st.deletedPaths.add(row.path);
    // Ids the emulator should have produced here but did not: later steps that need them fail with this
    // one. (An unscoped list introduces objects that existed before the scenario, not new ones.)
    if (!(isList && !ctx.scoped)) for (const id of serverIds) if (!st.map.has(id)) st.failed.set(id, row.index);
    if (opts.verbose) log(`  ${row.index} ${row.method} ${result.shape} ${row.status}→${res.status} ${result.outcome}${reasons.length ? `: ${reasons.map((r) => r.key).join('; ')}` : ''}`);
    finish();
  }
}

// ---------------------------------------------------------------- report

function summarize(results, only, skipped) {
  const fams = {};
  for (const f of only) fams[f] = { replayed: 0, matched: 0, mismatched: 0, notReplayable: 0 };
  const notReplayable = new Map();
  const reasons = new Map();
  for (const r of results) {
    const f = fams[r.family];
    if (!f) continue;
    if (r.outcome === 'not-replayable') { f.notReplayable++; notReplayable.set(r.note, (notReplayable.get(r.note) || 0) + 1); continue; }
    if (r.outcome !== 'matched' && r.outcome !== 'mismatched') continue;
    f.replayed++;
    f[r.outcome]++;
    if (r.outcome === 'mismatched') {
      const seen = new Set();
      for (const reason of r.reasons) {
        if (seen.has(reason.key)) continue;
        seen.add(reason.key);
        if (!reasons.has(reason.key)) reasons.set(reason.key, { reason: reason.key, count: 0, example: { source: r.source, index: r.index, method: r.method, path: r.shape, expected: reason.expected, got: reason.got } });
        reasons.get(reason.key).count++;
      }
    }
  }
  const total = { replayed: 0, matched: 0, mismatched: 0, notReplayable: 0 };
  for (const f of Object.values(fams)) for (const k of Object.keys(total)) total[k] += f[k];
  const pct = (x) => (x.replayed ? (100 * x.matched) / x.replayed : 0);
  for (const f of [...Object.values(fams), total]) f.conformance = Math.round(pct(f) * 10) / 10;
  return {
    families: fams, total,
    notReplayable: [...notReplayable.entries()].sort((a, b) => b[1] - a[1]).map(([reason, count]) => ({ reason, count })),
    reasons: [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    skipped,
  };
}

function printReport(summary, stats, out) {
  const w = (s, n, left) => (left ? String(s).padEnd(n) : String(s).padStart(n));
  out(`${w('family', 18, true)}${w('replayed', 10)}${w('matched', 9)}${w('mismatched', 12)}${w('not-replayable', 16)}${w('conformance', 13)}`);
  const line = (name, f) => out(`${w(name, 18, true)}${w(f.replayed, 10)}${w(f.matched, 9)}${w(f.mismatched, 12)}${w(f.notReplayable, 16)}${w(f.replayed ? `${f.conformance.toFixed(1)}%` : '-', 13)}`);
  for (const [name, f] of Object.entries(summary.families)) line(name, f);
  line('total', summary.total);
  out('');
  out(`skipped rows: ${summary.skipped} (/oauth/token fixtures)   dedup gap repairs: ${stats.gapRepairs}   cleanup deletions: ${stats.cleanupDeleted} (system objects kept: ${stats.cleanupProtected}, failed: ${stats.cleanupFailed})   429 retries: ${stats.rateLimited429}, rate-limit pauses: ${stats.rateLimitPauses}`);
  if (stats.managementClients) out(`recorded management client ids standing for AUTH0_CLIENT_ID in enabled_clients: ${stats.managementClients}`);
  if (summary.notReplayable.length) {
    out('');
    out('not replayable (the step depends on tenant state from before the scenario):');
    for (const { reason, count } of summary.notReplayable) out(`  ${w(count, 5)}  ${reason}`);
  }
  if (summary.reasons.length) {
    out('');
    out(`top mismatch reasons (${Math.min(20, summary.reasons.length)} of ${summary.reasons.length}):`);
    summary.reasons.slice(0, 20).forEach((r, i) => {
      out(`${w(i + 1, 3)}. ${w(`${r.count}×`, 5)} ${r.reason}`);
      out(`        e.g. ${r.example.method} ${r.example.path}  [${r.example.source.replace(/^.*\//, '')} #${r.example.index}]  expected ${r.example.expected}, got ${r.example.got}`);
    });
  }
  out('');
  out(`conformance: ${summary.total.conformance.toFixed(1)}% (${summary.total.matched} of ${summary.total.replayed} replayed interactions)`);
}

// ---------------------------------------------------------------- main

async function main() {
  let opts, env;
  try { opts = parseArgs(process.argv.slice(2)); env = readEnv(); } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) process.stderr.write(`error: ${e.message}\n`);
    process.stderr.write('usage: node replay.mjs RECORDINGS.jsonl [--only clients,connections,resource-servers,client-grants] [--json report.json] [--verbose]\n'
      + '                        [--scenario SUBSTRING] [--recorded-management-client ID,...] [--no-auto-management-client]\n');
    process.exit(1);
  }
  let scenarios;
  try { scenarios = loadRecordings(opts.file); } catch (e) { process.stderr.write(`error: ${e.message}\n`); process.exit(1); }
  if (opts.autoManagementClients) opts.managementClients = [...new Set([...opts.managementClients, ...recordedManagementClients(scenarios)])];
  const skipped = scenarios.reduce((n, s) => n + s.rows.filter((r) => familyOf(r.path) === 'oauth-token').length, 0);
  scenarios = scenarios.filter((s) => s.rows.some((r) => opts.only.includes(familyOf(r.path))));
  if (opts.scenario) scenarios = scenarios.filter((s) => s.source.includes(opts.scenario));

  const stats = { managementClients: opts.managementClients.length, gapRepairs: 0, cleanupDeleted: 0, cleanupProtected: 0, cleanupFailed: 0, rateLimited429: 0, rateLimitPauses: 0 };
  const log = (s) => process.stderr.write(`${s}\n`);
  const client = makeClient(env, stats);
  const results = [];
  let fatal = null;
  const started = Date.now();
  try {
    await client.refreshToken();
    for (const [i, scenario] of scenarios.entries()) {
      if (opts.verbose) log(`[${i + 1}/${scenarios.length}] ${scenario.source}`);
      await replayScenario(client, env, scenario, opts, stats, results, log);
    }
  } catch (e) {
    if (!(e instanceof Unreachable)) throw e;
    fatal = e;
  }
  const summary = summarize(results, opts.only, skipped);
  if (fatal && !results.length) { process.stderr.write(`error: ${fatal.message}\n`); process.exit(2); }
  const out = (s) => process.stdout.write(`${s}\n`);
  out(`replayed ${scenarios.length} scenarios from ${opts.file} against https://${env.domain} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  out('');
  printReport(summary, stats, out);
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify({ recordings: opts.file, domain: env.domain, only: opts.only, generated_at: new Date().toISOString(), stats, ...summary, rows: results }, null, 2)}\n`);
  }
  if (fatal) { process.stderr.write(`error: ${fatal.message} (report above is partial)\n`); process.exit(2); }
}

main().catch((e) => { process.stderr.write(`internal error: ${e.stack || e}\n`); process.exit(1); });
