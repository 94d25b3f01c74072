// plan --target: what a targeted plan keeps (the object, its grants, its dependencies) and which targets it refuses.
import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/plan/plan.js';
import { selectTargets } from '../../src/plan/targets.js';
import { DEFAULT_UNDECLARED } from '../../src/plan/types.js';
import type { DesiredObject } from '../../src/model/types.js';

const at = (file: string) => ({ file, line: 1, column: 1 });
const desired: DesiredObject[] = [
  { kind: 'api', key: 'https://api.example/', fields: { name: 'API', identifier: 'https://api.example/', scopes: [{ value: 'read:x' }] }, at: at('tenant/apis/api.yaml') },
  { kind: 'application', key: 'Partner Portal', fields: { name: 'Partner Portal', app_type: 'regular_web' }, at: at('tenant/applications/partner-portal.yaml') },
  { kind: 'application', key: 'Other App', fields: { name: 'Other App', app_type: 'spa' }, at: at('tenant/applications/other-app.yaml') },
  { kind: 'grant', key: 'Partner Portal -> https://api.example/', fields: { client: 'Partner Portal', audience: 'https://api.example/', scope: ['read:x'] }, at: at('tenant/applications/partner-portal.yaml') },
  { kind: 'connection', key: 'db', fields: { name: 'db', strategy: 'auth0', enabled_clients: ['Other App', 'Partner Portal'] }, at: at('tenant/connections/db.yaml') },
];
const snapshot = { domain: 't.example', ownClientId: 'own', clients: [], connections: [], enabledClients: {}, resourceServers: [], clientGrants: [] };
const full = computePlan(desired, snapshot, { undeclared: DEFAULT_UNDECLARED, environment: 'dev', domain: 't.example', configHash: 'h' });

describe('--target', () => {
  it('keeps the targeted application, its grants, what they depend on and only its enablement', () => {
    const plan = selectTargets(full, ['applications/Partner Portal'], desired);
    const refs = plan.changes.map((c) => `${c.kind}:${c.key}`);
    expect(refs).toContain('application:Partner Portal');
    expect(refs).toContain('grant:Partner Portal -> https://api.example/');
    expect(refs).toContain('api:https://api.example/');
    expect(refs).not.toContain('application:Other App');
    const enablement = plan.changes.find((c) => c.kind === 'enablement');
    expect(enablement?.payload).toEqual({ add: ['Partner Portal'], remove: [] });
    expect(plan.summary.add).toBe(plan.changes.filter((c) => c.action === 'create').length);
  });

  it('accepts the file name of the application instead of its name', () => {
    const byFile = selectTargets(full, ['applications/partner-portal'], desired);
    expect(byFile.changes.map((c) => c.key)).toContain('Partner Portal');
    expect(byFile.changes.map((c) => c.key)).not.toContain('Other App');
  });

  it('rejects a target that is not KIND/NAME', () => {
    expect(() => selectTargets(full, ['partner-portal'], desired)).toThrow(/KIND\/NAME/);
    expect(() => selectTargets(full, ['widgets/x'], desired)).toThrow(/KIND\/NAME/);
    // The hint lists every kind of the registry.
    try {
      selectTargets(full, ['widgets/x'], desired);
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe(
        'use applications/NAME, connections/NAME, apis/IDENTIFIER, grants/"APP -> API" or organizations/NAME',
      );
    }
  });
});
