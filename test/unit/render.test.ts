// The plan renderers (text, markdown, json): Terraform's symbols, set changes as elements, unchanged fields counted.
import { describe, expect, it } from 'vitest';
import type { TenantSnapshot } from '../../src/model/snapshot.js';
import type { DesiredObject, Kind } from '../../src/model/types.js';
import { computePlan, type Plan, type PlanOptions } from '../../src/plan/index.js';
import { renderJson, renderMarkdown, renderText, stickyMarker } from '../../src/render/index.js';

const at = { file: 'tenant/x.yaml', line: 3, column: 1 };
const desired = (kind: Kind, key: string, fields: Record<string, unknown>): DesiredObject => ({ kind, key, fields, at });
const marker = { managed_by: 'tenantctl' };
const options: PlanOptions = {
  undeclared: { applications: 'managed', connections: 'managed', apis: 'ignore', grants: 'managed' },
  environment: 'dev',
  domain: 'acme.auth0.com',
  configHash: 'sha256:c',
};
const SECRET = 'do-not-show-9f8e7d6c5b4a';
const LIVE_SECRET = 'live-secret-1a2b3c4d5e6f';

function snapshot(parts: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return { domain: 'acme.auth0.com', ownClientId: 'own', clients: [], connections: [], enabledClients: {}, resourceServers: [], clientGrants: [], ...parts };
}

function samplePlan(): Plan {
  const live = snapshot({
    clients: [
      { client_id: 'c1', name: 'Zed', description: 'a', callbacks: ['https://b.example/cb'], logo_uri: 'https://l', client_metadata: marker },
      { client_id: 'c2', name: 'Old', client_metadata: marker },
      { client_id: 'g', name: 'All Applications', global: true },
    ],
    connections: [{ id: 'con_1', name: 'Google', strategy: 'google-oauth2', options: { client_id: 'gid', client_secret: LIVE_SECRET }, metadata: marker }],
    enabledClients: { con_1: ['c1'] },
  });
  return computePlan(
    [
      desired('application', 'Web', { name: 'Web', app_type: 'spa', callbacks: ['https://a.example/cb'] }),
      desired('application', 'Zed', { name: 'Zed', description: 'b', callbacks: ['https://a.example/cb'], app_type: 'regular_web', sso_disabled: false }),
      desired('application', 'All Applications', { name: 'All Applications' }),
      desired('connection', 'Google', { name: 'Google', strategy: 'google-oauth2', options: { client_secret: SECRET }, enabled_clients: ['Web', 'Zed'] }),
      desired('connection', 'Corp DB', { name: 'Corp DB', strategy: 'auth0', options: { api_key: SECRET, password: SECRET }, enabled_clients: [] }),
    ],
    live,
    options,
  );
}

describe('text renderer', () => {
  const text = renderText(samplePlan(), { color: false });

  it('uses Terraform symbols and phrases', () => {
    expect(text).toContain('  # application "Web" will be created\n  + application "Web" {');
    expect(text).toContain('  ~ application "Zed" (id c1) {');
    expect(text).toContain('      ~ description: "a" -> "b"');
    expect(text).toContain('      - application "Old" (id c2)'.replace('      - ', '  - '));
    expect(text).toContain('# application "Old" will be destroyed (requires --allow-delete)');
  });

  it('shows set changes as added and removed elements', () => {
    expect(text).toContain('~ callbacks: + "https://a.example/cb"  - "https://b.example/cb"');
    expect(text).toContain('~ enabled_clients: + "Web"');
  });

  it('hides unchanged attributes behind a count', () => {
    expect(text).toContain('# (2 unchanged attributes hidden)');
  });

  it('lists skipped system objects and the --allow-delete note, and ends with the summary line', () => {
    expect(text).toMatch(/Skipped.*\n {2}application "All Applications": the global client/);
    expect(text).toContain('Note: 1 change destroys objects and runs only with apply --allow-delete.');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan: 2 to add, 3 to change, 1 to destroy.');
  });

  it('colours only when asked', () => {
    expect(text).not.toContain('\u001b[');
    const colored = renderText(samplePlan(), { color: true });
    expect(colored).toContain('\u001b[32m');
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(text);
  });

  it('says so when nothing changes', () => {
    const live = snapshot({ clients: [{ client_id: 'c1', name: 'Web', client_metadata: marker }] });
    const plan = computePlan([desired('application', 'Web', { name: 'Web' })], live, options);
    expect(renderText(plan, { color: false }).trimEnd().split('\n').at(-1)).toBe('No changes. The tenant matches the configuration.');
  });

  it('shows a replace with -/+ and what forces it', () => {
    const live = snapshot({ connections: [{ id: 'con_1', name: 'Corp', strategy: 'auth0', metadata: marker }] });
    const plan = computePlan([desired('connection', 'Corp', { name: 'Corp', strategy: 'samlp' })], live, options);
    const out = renderText(plan, { color: false });
    expect(out).toContain('-/+ connection "Corp" (id con_1) {');
    expect(out).toContain('~ strategy: "auth0" -> "samlp"  # forces replacement');
    expect(out).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
  });
});

describe('markdown renderer', () => {
  const markdown = renderMarkdown(samplePlan());

  it('starts with the sticky marker and has a summary table and details blocks', () => {
    expect(markdown.startsWith(`${stickyMarker('dev')}\n`)).toBe(true);
    expect(stickyMarker('dev')).toBe('<!-- tenantctl-plan:dev -->');
    expect(markdown).toContain('| Object | Create | Update | Replace | Destroy |');
    expect(markdown).toContain('| applications | 1 | 1 | 0 | 1 |');
    expect(markdown).toContain('<details><summary><code>+</code> application &quot;Web&quot; will be created</summary>');
    expect(markdown).toContain('+ callbacks: "https://a.example/cb"\n- callbacks: "https://b.example/cb"');
    expect(markdown).toContain('**Plan: 2 to add, 3 to change, 1 to destroy.**');
  });

  it('escapes HTML coming from keys', () => {
    const plan = computePlan([desired('application', '<img src=x>', { name: '<img src=x>' })], snapshot(), options);
    const out = renderMarkdown(plan);
    const outsideCode = out.replace(/```[\s\S]*?```/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(out).toContain('&lt;img src=x&gt;');
  });

  it('stays under the size limit by collapsing the long tail with a note', () => {
    const many = Array.from({ length: 3000 }, (_, index) =>
      desired('application', `App ${String(index).padStart(4, '0')}`, { name: `App ${index}`, callbacks: [`https://app${index}.example/callback`] }),
    );
    const plan = computePlan(many, snapshot(), options);
    const out = renderMarkdown(plan);
    expect(out.length).toBeLessThanOrEqual(60_000);
    expect(out).toMatch(/> \d+ more changes are not shown to keep this comment under 60,000 characters/);
    expect(out).toContain('App 0000');
    expect(out).not.toContain('App 2999');
  });
});

describe('json renderer', () => {
  it('is versioned and carries kind, key, action, fields, dependencies and stats', () => {
    const plan = samplePlan();
    plan.stats.reads = 7;
    const parsed = JSON.parse(renderJson(plan));
    expect(parsed.format_version).toBe(1);
    expect(parsed.stats).toEqual({ reads: 7, objects: { api: 0, application: 3, connection: 1, grant: 0, organization: 0 } });
    const zed = parsed.changes.find((change: { key: string }) => change.key === 'Zed');
    expect(zed).toMatchObject({ kind: 'application', action: 'update', id: 'c1', dependsOn: [] });
    expect(zed.fields).toContainEqual({ path: 'description', before: 'a', after: 'b' });
    const enable = parsed.changes.find((change: { kind: string }) => change.kind === 'enablement');
    expect(enable.dependsOn).toEqual(['application:Web']);
    expect(parsed.changes.every((change: object) => !('payload' in change))).toBe(true);
  });
});

describe('secrets in every output', () => {
  it('never show a secret from the config or the tenant', () => {
    const plan = samplePlan();
    const outputs = [renderText(plan, { color: false }), renderText(plan, { color: true }), renderMarkdown(plan), renderJson(plan)];
    for (const output of outputs) {
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain(LIVE_SECRET);
    }
    for (const output of outputs.slice(0, 3)) expect(output).toContain('(sensitive)');
    expect(JSON.parse(outputs[3]!).changes.flatMap((change: { fields: object[] }) => change.fields)).toContainEqual({
      path: 'options.client_secret',
      sensitive: true,
    });
  });
});

describe('closing line with skipped objects', () => {
  it('does not claim a full match when declared objects were skipped', async () => {
    const { closingLine } = await import('../../src/render/describe.js');
    const base = { changes: [], summary: { add: 0, change: 0, destroy: 0, replace: 0, unchanged: 0 } };
    expect(closingLine({ ...base, skipped: [] } as never)).toBe('No changes. The tenant matches the configuration.');
    expect(closingLine({ ...base, skipped: [{ kind: 'application', key: 'All Applications', reason: 'system' }] } as never)).toBe(
      'No changes. The tenant matches the configuration, apart from 1 declared object it never writes (see Skipped).',
    );
  });
});

describe('render: notes about what could not be compared', () => {
  const plan = computePlan(
    [desired('connection', 'Google', { name: 'Google', strategy: 'google-oauth2', options: { scope: ['email'] } })],
    snapshot({ connections: [{ id: 'con_1', name: 'Google', strategy: 'google-oauth2', metadata: marker }] }),
    options,
  );

  it('every format says the options were not compared and which scope to grant, with no change', () => {
    expect(plan.changes).toEqual([]);
    expect(renderText(plan, { color: false })).toMatch(/Notes:\n {2}connection "Google": options not compared: .*read:connections_options/);
    expect(renderMarkdown(plan)).toMatch(/> \[!NOTE\]\n> - connection &quot;Google&quot;: options not compared/);
    expect(JSON.parse(renderJson(plan)).notes).toEqual([{ kind: 'connection', key: 'Google', message: expect.stringContaining('read:connections_options') }]);
  });
});
