// The corpus of broken tenant configurations: each entry is a small valid tenant with one thing broken,
// written to its own directory. `file` names the file a diagnostic must point at.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BrokenConfig {
  name: string;
  /** Files replaced or added (relative path → content); `null` removes a file of the base tenant. */
  files: Record<string, string | Buffer | null>;
  /** Symbolic links to create: relative path of the link → its target as written in the link. */
  links?: Record<string, string>;
  /** The relative path of the file at least one error must point at (file:line:col). */
  file: string;
}

const BASE: Record<string, string> = {
  'tenant.yaml': ['environments:', '  dev:', '    domain: corpus-dev.us.auth0.com', 'default_environment: dev', ''].join('\n'),
  'applications/web.yaml': [
    'name: Corpus Web',
    'app_type: regular_web',
    'callbacks:',
    '  - https://web.corpus.example.com/callback',
    'grant_types: [authorization_code]',
    'connections:',
    '  - corpus-db',
    '',
  ].join('\n'),
  'applications/job.yaml': [
    'name: Corpus Job',
    'app_type: non_interactive',
    'grant_types: [client_credentials]',
    'grants:',
    '  - api: https://api.corpus.example.com/',
    '    scopes: [read:things]',
    '',
  ].join('\n'),
  'apis/api.yaml': ['name: Corpus API', 'identifier: https://api.corpus.example.com/', 'scopes:', '  - value: read:things', '    description: Read things', ''].join('\n'),
  'connections/db.yaml': ['name: corpus-db', 'strategy: auth0', ''].join('\n'),
};

const WEB = 'applications/web.yaml';
const JOB = 'applications/job.yaml';
const API = 'apis/api.yaml';
const DB = 'connections/db.yaml';
const TENANT = 'tenant.yaml';

/** The base web application with one line replaced (found by its start) or appended. */
function web(replace: Record<string, string>, append: string[] = []): string {
  const lines = BASE[WEB]!.trimEnd().split('\n').map((line) => {
    const key = Object.keys(replace).find((start) => line.startsWith(start));
    return key === undefined ? line : replace[key]!;
  });
  return `${[...lines, ...append].join('\n')}\n`;
}

const tenant = (...extra: string[]): string => `${BASE[TENANT]!}${extra.join('\n')}\n`;

function nested(depth: number, open: string, close: string, inner: string): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

export function brokenConfigs(): BrokenConfig[] {
  const entries: BrokenConfig[] = [
    // ---- YAML syntax ----
    { name: 'unclosed flow sequence', file: WEB, files: { [WEB]: web({ 'grant_types:': 'grant_types: [authorization_code' }) } },
    { name: 'unterminated double quote', file: WEB, files: { [WEB]: web({ 'name:': 'name: "Corpus Web' }) } },
    { name: 'unterminated single quote in tenant.yaml', file: TENANT, files: { [TENANT]: "environments:\n  dev:\n    domain: 'corpus-dev.us.auth0.com\n" } },
    { name: 'mapping value in plain scalar', file: WEB, files: { [WEB]: web({ 'name:': 'name: Corpus: Web: App' }) } },
    { name: 'tab indentation', file: API, files: { [API]: 'name: Corpus API\nidentifier: https://api.corpus.example.com/\nscopes:\n\t- value: read:things\n' } },
    { name: 'bad indentation of a list item', file: DB, files: { [DB]: 'name: corpus-db\n  strategy: auth0\n' } },
    { name: 'stray closing bracket', file: JOB, files: { [JOB]: `${BASE[JOB]!}]\n` } },
    { name: 'two documents in one file', file: WEB, files: { [WEB]: `${BASE[WEB]!}---\nname: Second\napp_type: spa\n` } },
    { name: 'undefined alias', file: WEB, files: { [WEB]: web({ 'grant_types:': 'grant_types: *types' }) } },
    {
      name: 'alias expansion bomb',
      file: WEB,
      files: {
        [WEB]: web({}, [
          'client_metadata:',
          '  a: &a [x, x, x, x, x, x, x, x, x, x]',
          '  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
          '  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
          '  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
          '  e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
        ]),
      },
    },
    { name: 'unknown YAML tag', file: API, files: { [API]: BASE[API]!.replace('name: Corpus API', 'name: !Ref CorpusApi') } },
    { name: 'flow mapping missing comma', file: WEB, files: { [WEB]: web({}, ['refresh_token: {rotation_type: rotating expiration_type: expiring}']) } },

    // ---- wrong types ----
    { name: 'app_type is a number', file: WEB, files: { [WEB]: web({ 'app_type:': 'app_type: 5' }) } },
    { name: 'callbacks is a string', file: WEB, files: { [WEB]: web({ 'callbacks:': 'callbacks: https://web.corpus.example.com/callback', '  - https://web': '' }) } },
    { name: 'name is a list', file: JOB, files: { [JOB]: BASE[JOB]!.replace('name: Corpus Job', 'name: [Corpus, Job]') } },
    { name: 'token lifetime is a word', file: API, files: { [API]: `${BASE[API]!}token_lifetime: long\n` } },
    { name: 'scopes is a mapping', file: API, files: { [API]: 'name: Corpus API\nidentifier: https://api.corpus.example.com/\nscopes:\n  value: read:things\n' } },
    { name: 'environments is a list', file: TENANT, files: { [TENANT]: 'environments:\n  - dev\n' } },
    { name: 'domain is a number', file: TENANT, files: { [TENANT]: 'environments:\n  dev:\n    domain: 42\n' } },
    { name: 'boolean given as a quoted string', file: WEB, files: { [WEB]: web({}, ['oidc_conformant: "yes"']) } },
    { name: 'application file is a list', file: WEB, files: { [WEB]: '- name: Corpus Web\n- app_type: regular_web\n' } },
    { name: 'application file is a scalar', file: WEB, files: { [WEB]: 'just some text\n' } },
    { name: 'application file is null', file: WEB, files: { [WEB]: '~\n' } },
    { name: 'grants is a mapping', file: JOB, files: { [JOB]: 'name: Corpus Job\napp_type: non_interactive\ngrants:\n  api: https://api.corpus.example.com/\n' } },
    { name: 'negative token lifetime', file: API, files: { [API]: `${BASE[API]!}token_lifetime: -5\n` } },

    // ---- unknown fields ----
    { name: 'unknown application field', file: WEB, files: { [WEB]: web({}, ['colour: blue']) } },
    { name: 'misspelt API field', file: API, files: { [API]: `${BASE[API]!}signing_algo: RS256\n` } },
    { name: 'misspelt connection field', file: DB, files: { [DB]: 'name: corpus-db\nstratgy: auth0\n' } },
    { name: 'misspelt environments', file: TENANT, files: { [TENANT]: 'enviroments:\n  dev:\n    domain: corpus-dev.us.auth0.com\n' } },
    { name: 'bad undeclared policy', file: TENANT, files: { [TENANT]: tenant('undeclared:', '  applications: everything') } },
    { name: 'unknown nested field', file: WEB, files: { [WEB]: web({}, ['refresh_token:', '  rotation_type: rotating', '  rotate_every: 5']) } },
    { name: 'unknown app_type value', file: WEB, files: { [WEB]: web({ 'app_type:': 'app_type: mainframe' }) } },

    // ---- dangling references ----
    { name: 'unknown connection', file: WEB, files: { [WEB]: web({ '  - corpus-db': '  - no-such-connection' }) } },
    { name: 'grant to an unknown API', file: JOB, files: { [JOB]: BASE[JOB]!.replace('https://api.corpus.example.com/', 'https://api.nowhere.example.com/') } },
    { name: 'grant of an undeclared scope', file: JOB, files: { [JOB]: BASE[JOB]!.replace('read:things', 'delete:everything') } },
    { name: 'default environment not declared', file: TENANT, files: { [TENANT]: 'environments:\n  dev:\n    domain: corpus-dev.us.auth0.com\ndefault_environment: staging\n' } },
    { name: 'undefined variable', file: WEB, files: { [WEB]: web({ '  - https://web': '  - ${CORPUS_URL}/callback' }) } },

    // ---- bad URLs ----
    { name: 'http callback without allow_localhost', file: WEB, files: { [WEB]: web({ '  - https://web': '  - http://web.corpus.example.com/callback' }) } },
    { name: 'callback that is not a URL', file: WEB, files: { [WEB]: web({ '  - https://web': '  - not a url at all' }) } },
    { name: 'web origin with a path', file: WEB, files: { [WEB]: web({}, ['web_origins:', '  - https://web.corpus.example.com/app']) } },
    { name: 'javascript: callback', file: WEB, files: { [WEB]: web({ '  - https://web': '  - "javascript:alert(1)"' }) } },
    { name: 'initiate login URI over http', file: WEB, files: { [WEB]: web({}, ['initiate_login_uri: http://web.corpus.example.com/login']) } },
    { name: 'logout URL without a host', file: WEB, files: { [WEB]: web({}, ['allowed_logout_urls:', '  - "https://"']) } },
    { name: 'localhost callback in a tenant that forbids it', file: WEB, files: { [WEB]: web({ '  - https://web': '  - http://localhost:3000/callback' }) } },

    // ---- size and depth ----
    {
      name: 'huge file: 4 MB description',
      file: WEB,
      files: { [WEB]: web({}, [`description: ${'x'.repeat(4 * 1024 * 1024)}`]) },
    },
    {
      name: 'huge file: 60,000 callbacks, one broken',
      file: WEB,
      files: { [WEB]: web({ '  - https://web': [...Array.from({ length: 60_000 }, (_, i) => `  - https://web.corpus.example.com/cb/${i}`), '  - http://plain.example.com/'].join('\n') }) },
    },
    { name: 'deeply nested mappings', file: WEB, files: { [WEB]: web({}, [`client_metadata: ${nested(5000, '{a: ', '}', '1')}`]) } },
    { name: 'deeply nested sequences', file: WEB, files: { [WEB]: web({ 'grant_types:': `grant_types: ${nested(5000, '[', ']', 'x')}` }) } },
    {
      name: 'deep block nesting',
      file: WEB,
      files: { [WEB]: web({}, ['client_metadata:', ...Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`), `${'  '.repeat(401)}deep`]) },
    },

    // ---- binary, encodings ----
    { name: 'binary noise', file: WEB, files: { [WEB]: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256)) } },
    { name: 'a PNG named .yaml', file: API, files: { [API]: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR\0\0\0\x01')]) } },
    { name: 'NUL byte inside a value', file: WEB, files: { [WEB]: web({ 'name:': 'name: "Corpus\u0000Web"' }) } },
    { name: 'Latin-1 bytes (not UTF-8)', file: DB, files: { [DB]: Buffer.from('name: corpus-db\nstrategy: auth0\ndisplay_name: Caf\xe9 users\n', 'latin1') } },
    { name: 'UTF-16 with a byte order mark', file: API, files: { [API]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE[API]!, 'utf16le')]) } },
    { name: 'raw escape character in a name', file: WEB, files: { [WEB]: web({ 'name:': 'name: Corpus\u001b[31mWeb' }) } },

    // ---- files and links ----
    { name: 'empty application file', file: WEB, files: { [WEB]: '' } },
    { name: 'empty tenant.yaml', file: TENANT, files: { [TENANT]: '' } },
    { name: 'comments-only connection file', file: DB, files: { [DB]: '# nothing declared here yet\n# name: corpus-db\n' } },
    { name: 'tenant.yaml missing', file: TENANT, files: { [TENANT]: null } },
    { name: 'symlink pointing at itself', file: 'applications/loop.yaml', files: {}, links: { 'applications/loop.yaml': 'loop.yaml' } },
    { name: 'two symlinks pointing at each other', file: 'apis/ping.yaml', files: {}, links: { 'apis/ping.yaml': 'pong.yaml', 'apis/pong.yaml': 'ping.yaml' } },
    { name: 'dangling symlink', file: 'connections/gone.yaml', files: {}, links: { 'connections/gone.yaml': '../nowhere/gone.yaml' } },
    { name: 'a .yaml link to its own folder', file: 'applications/nested.yaml', files: {}, links: { 'applications/nested.yaml': '.' } },
    { name: 'declarations folder linked to a missing folder', file: 'apis', files: { [API]: null, [JOB]: null }, links: { apis: '../no-such-apis' } },
    { name: 'a folder named like a YAML file', file: 'applications/folder.yaml', files: { 'applications/folder.yaml/inner.txt': 'x\n' } },

    // ---- duplicates ----
    { name: 'duplicate key in a file', file: WEB, files: { [WEB]: web({}, ['name: Corpus Web Again']) } },
    { name: 'duplicate environment in tenant.yaml', file: TENANT, files: { [TENANT]: 'environments:\n  dev:\n    domain: a.us.auth0.com\n  dev:\n    domain: b.us.auth0.com\n' } },
    { name: 'two files declare the same application', file: WEB, files: { 'applications/web-copy.yaml': BASE[WEB]! } },
    { name: 'two files declare the same API identifier', file: API, files: { 'apis/api-copy.yaml': BASE[API]!.replace('name: Corpus API', 'name: Corpus API Copy') } },
    { name: 'two files declare the same connection', file: DB, files: { 'connections/db-copy.yaml': BASE[DB]! } },
    { name: 'the same connection listed twice', file: WEB, files: { [WEB]: web({}, []).replace('  - corpus-db\n', '  - corpus-db\n  - corpus-db\n') } },
    { name: 'the same grant declared twice', file: JOB, files: { [JOB]: `${BASE[JOB]!}  - api: https://api.corpus.example.com/\n    scopes: [read:things]\n` } },
    { name: 'duplicate API scope', file: API, files: { [API]: `${BASE[API]!}  - value: read:things\n    description: Again\n` } },

    // ---- missing and contradictory ----
    { name: 'application without app_type', file: WEB, files: { [WEB]: web({ 'app_type:': '' }) } },
    { name: 'API without identifier', file: API, files: { [API]: 'name: Corpus API\n' } },
    { name: 'connection without strategy', file: DB, files: { [DB]: 'name: corpus-db\n' } },
    { name: 'no environments', file: TENANT, files: { [TENANT]: 'default_environment: dev\n' } },
    { name: 'upper-case environment name', file: TENANT, files: { [TENANT]: 'environments:\n  Dev:\n    domain: corpus-dev.us.auth0.com\n' } },
    { name: 'SPA with a client secret auth method', file: WEB, files: { [WEB]: web({ 'app_type:': 'app_type: spa' }, ['token_endpoint_auth_method: client_secret_post']) } },
    { name: 'domain that is not a host name', file: TENANT, files: { [TENANT]: 'environments:\n  dev:\n    domain: "https://corpus dev/"\n' } },
  ];
  return entries;
}

/** Writes the base tenant with the entry's changes into `dir`. */
export function writeBrokenConfig(dir: string, entry: BrokenConfig): void {
  const files: Record<string, string | Buffer | null> = { ...BASE, ...entry.files };
  for (const [relative, content] of Object.entries(files)) {
    if (content === null) continue;
    mkdirSync(dirname(join(dir, relative)), { recursive: true });
    writeFileSync(join(dir, relative), content);
  }
  for (const folder of ['applications', 'apis', 'connections']) if (!entry.links?.[folder]) mkdirSync(join(dir, folder), { recursive: true });
  for (const [relative, target] of Object.entries(entry.links ?? {})) symlinkSync(target, join(dir, relative));
}
