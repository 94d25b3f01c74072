// check-login's verdicts as a table: config and live tenant agreeing, drifting either way, and the
// environment's URL policy (localhost in dev vs prod) shaping the advice.
import { describe, expect, it } from 'vitest';
import { checkLogin, type ConfigSide, type LiveSide, type RegisteredLists } from '../../src/onboard/check-login.js';

const file = 'tenant/applications/partner.yaml';
function lists(partial: Partial<RegisteredLists>): RegisteredLists {
  return { callback: [], logout: [], origin: [], ...partial };
}
function config(partial: Partial<RegisteredLists>): ConfigSide {
  return {
    registered: lists(partial),
    where: { callback: { file, line: 6, column: 1 }, logout: { file, line: 8, column: 1 }, origin: { file, line: 2, column: 1 } },
  };
}
const dev = { name: 'dev', allowLocalhost: true };
const prod = { name: 'prod', allowLocalhost: false };
const CB = 'https://partner.example.com/callback';

interface Row {
  name: string;
  url: string;
  config: ConfigSide | undefined;
  live: LiveSide;
  env?: typeof dev;
  ok: boolean;
  line: RegExp;
  note?: RegExp;
}

const rows: Row[] = [
  { name: 'accepted by both', url: CB, config: config({ callback: [CB] }), live: { registered: lists({ callback: [CB] }) }, ok: true, line: /^✓ callback .* accepted by config \(tenant\/applications\/partner\.yaml:6\) and by the live tenant/ },
  { name: 'trailing slash in neither', url: `${CB}/`, config: config({ callback: [CB] }), live: { registered: lists({ callback: [CB] }) }, ok: false, line: /^✗ callback .*\/callback\/ not registered: registered is https:\/\/partner\.example\.com\/callback \(no trailing slash\)\. Add https:\/\/partner\.example\.com\/callback\/ to callbacks in tenant\/applications\/partner\.yaml:6\.$/ },
  { name: 'drift: config has it, tenant not yet', url: CB, config: config({ callback: [CB] }), live: { registered: lists({}) }, ok: false, line: /accepted by config \(.*:6\) but not by the live tenant: drift, .*run tenantctl plan --env dev/ },
  { name: 'drift: tenant has it, config not', url: CB, config: config({}), live: { registered: lists({ callback: [CB] }) }, ok: true, line: /^✓ .* accepted by the live tenant .* but not by config: drift, the next apply would remove it\. Add .* to callbacks in .*:6\.$/ },
  { name: 'app not in the tenant yet', url: CB, config: config({ callback: [CB] }), live: 'missing', ok: false, line: /but not by the live tenant/ },
  { name: 'no credentials: config only, accepted', url: CB, config: config({ callback: [CB] }), live: undefined, ok: true, line: /accepted by config .*; live tenant not checked/ },
  { name: 'no credentials: config only, rejected', url: 'http://partner.example.com/callback', config: config({ callback: [CB] }), live: undefined, ok: false, line: /not accepted by config: .*https, not http/, note: /validate would reject adding it \[url-https\]/ },
  { name: 'wildcard accepted in dev', url: 'https://pr-1.preview.example.com/callback', config: config({ callback: ['https://*.preview.example.com/callback'] }), live: { registered: lists({ callback: ['https://*.preview.example.com/callback'] }) }, ok: true, line: /^✓/ },
  { name: 'port differs', url: 'http://localhost:3001/callback', config: config({ callback: ['http://localhost:3000/callback'] }), live: { registered: lists({ callback: ['http://localhost:3000/callback'] }) }, ok: false, line: /port 3000, not 3001/ },
  { name: 'localhost in dev: adding it is fine', url: 'http://localhost:3000/callback', config: config({}), live: { registered: lists({}) }, env: dev, ok: false, line: /not registered: none is registered\. Add http:\/\/localhost:3000\/callback/ },
  { name: 'localhost in prod: adding it would be rejected', url: 'http://localhost:3000/callback', config: config({}), live: { registered: lists({}) }, env: prod, ok: false, line: /not registered/, note: /validate would reject adding it \[url-localhost\]: .*environment prod/ },
  { name: 'logout with a query string', url: 'https://partner.example.com/?bye=1', config: config({ logout: ['https://partner.example.com/'] }), live: { registered: lists({ logout: ['https://partner.example.com/'] }) }, ok: true, line: /^✓ logout URL/ },
  { name: 'origin drift', url: 'https://partner.example.com', config: config({ origin: ['https://partner.example.com'] }), live: { registered: lists({ origin: [] }) }, ok: false, line: /^✗ web origin .* accepted by config \(.*:2\) but not by the live tenant/ },
];

describe('checkLogin', () => {
  it.each(rows)('$name', ({ url, config: side, live, env, ok, line, note }) => {
    const kind = url.includes('bye') ? 'logout' : line.source.includes('web origin') ? 'origin' : 'callback';
    const report = checkLogin({ appName: 'Partner', checks: [{ kind, url }], config: side, live, environment: env ?? dev });
    expect(report.ok).toBe(ok);
    const verdicts = report.lines.filter((text) => /^[✓✗]/.test(text));
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatch(line);
    if (note) expect(report.lines.some((text) => note.test(text))).toBe(true);
    else expect(report.lines.some((text) => text.includes('validate would reject'))).toBe(false);
  });

  it('says when the tenant was not read, and when the app is not declared in config', () => {
    const offline = checkLogin({ appName: 'Partner', checks: [{ kind: 'callback', url: CB }], config: config({ callback: [CB] }), live: undefined, environment: dev });
    expect(offline.lines[0]).toContain('live tenant was not checked');
    const liveOnly = checkLogin({ appName: 'Partner', checks: [{ kind: 'callback', url: CB }], config: undefined, live: { registered: lists({ callback: [CB] }) }, environment: dev });
    expect(liveOnly.lines[0]).toContain('not declared in the config');
    expect(liveOnly.ok).toBe(true);
  });

  it('asks for a new list when the file has no such field yet', () => {
    const side: ConfigSide = { ...config({}), declared: { callback: true, logout: true, origin: false } };
    const report = checkLogin({ appName: 'Partner', checks: [{ kind: 'origin', url: 'https://partner.example.com' }], config: side, live: undefined, environment: dev });
    expect(report.lines.at(-1)).toContain('Add a web_origins list with https://partner.example.com to the application in tenant/applications/partner.yaml:2.');
  });

  it('is ok only when every URL is accepted', () => {
    const report = checkLogin({
      appName: 'Partner',
      checks: [{ kind: 'callback', url: CB }, { kind: 'callback', url: `${CB}/` }],
      config: config({ callback: [CB] }),
      live: { registered: lists({ callback: [CB] }) },
      environment: dev,
    });
    expect(report.ok).toBe(false);
    expect(report.lines.filter((text) => /^[✓✗]/.test(text)).map((text) => text[0])).toEqual(['✓', '✗']);
  });
});
