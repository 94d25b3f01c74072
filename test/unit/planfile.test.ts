// Saved plans: written 0600 without secrets, read back, and refused when stale or broken.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TenantctlError } from '../../src/errors.js';
import type { TenantSnapshot } from '../../src/model/snapshot.js';
import { computePlan, type Plan } from '../../src/plan/index.js';
import { checkPlanIsCurrent, parsePlan, PlanFileError, readPlanFile, serializePlan, StalePlanError, writePlanFile } from '../../src/planfile/index.js';

const SECRET = 'planfile-secret-7c6b5a';
const at = { file: 'tenant/c.yaml', line: 1, column: 1 };

function makePlan(): Plan {
  const live: TenantSnapshot = {
    domain: 'acme.auth0.com',
    ownClientId: 'own',
    clients: [{ client_id: 'c1', name: 'Web', client_metadata: { managed_by: 'tenantctl' } }],
    connections: [{ id: 'con_1', name: 'Google', strategy: 'google-oauth2', options: { client_secret: 'live-' + SECRET }, metadata: { managed_by: 'tenantctl' } }],
    enabledClients: { con_1: [] },
    resourceServers: [],
    clientGrants: [],
  };
  return computePlan(
    [
      { kind: 'application', key: 'Web', fields: { name: 'Web', description: 'x' }, at },
      { kind: 'connection', key: 'Google', fields: { name: 'Google', strategy: 'google-oauth2', options: { client_secret: SECRET }, enabled_clients: ['Web'] }, at },
      { kind: 'connection', key: 'Db', fields: { name: 'Db', strategy: 'auth0', options: { password: SECRET } }, at },
    ],
    live,
    { undeclared: { applications: 'managed', connections: 'managed', apis: 'ignore', grants: 'managed' }, environment: 'prod', domain: 'acme.auth0.com', configHash: 'sha256:abc' },
  );
}

describe('saved plans', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-planfile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through text and a file', () => {
    const plan = makePlan();
    expect(parsePlan(serializePlan(plan))).toEqual(JSON.parse(JSON.stringify(plan)));
    const path = join(dir, 'plan.json');
    writePlanFile(path, plan);
    expect(readPlanFile(path)).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('contains no secret, only placeholders', () => {
    const text = serializePlan(makePlan());
    expect(text).not.toContain(SECRET);
    expect(text).toContain('"$sensitive"');
  });

  it('refuses another format version, broken JSON and a damaged shape with one clear error each', () => {
    const good = JSON.parse(serializePlan(makePlan()));
    expect(() => parsePlan(JSON.stringify({ ...good, format_version: 2 }))).toThrow(/format_version 2; this tenantctl reads format_version 1/);
    expect(() => parsePlan('{not json')).toThrow(PlanFileError);
    const damaged = { ...good, domain: 5, changes: [{ ...good.changes[0], action: 'explode' }, 'x'] };
    let error: unknown;
    try {
      parsePlan(JSON.stringify(damaged));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanFileError);
    expect((error as Error).message).toContain('domain must be a string');
    expect((error as Error).message).toContain('changes[0].action is not a known action');
    expect((error as Error).message).toContain('changes[1] must be an object');
  });

  it('names a missing file plainly', () => {
    expect(() => readPlanFile(join(dir, 'nope.json'))).toThrow(/plan file .*nope\.json does not exist/);
  });

  it('accepts a current plan and refuses a stale one, saying what changed', () => {
    const plan = makePlan();
    const current = { domain: plan.domain, configHash: plan.config_hash, liveFingerprint: plan.live_fingerprint };
    expect(() => checkPlanIsCurrent(plan, current)).not.toThrow();
    expect(() => checkPlanIsCurrent(plan, { ...current, liveFingerprint: 'sha256:other' })).toThrow(
      'plan is stale: the tenant changed since it was made; run plan again',
    );
    let error: unknown;
    try {
      checkPlanIsCurrent(plan, { domain: 'other.auth0.com', configHash: 'sha256:new', liveFingerprint: plan.live_fingerprint });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StalePlanError);
    expect(error).toBeInstanceOf(TenantctlError);
    expect((error as Error).message).toBe(
      'plan is stale: it was made for acme.auth0.com, not other.auth0.com; the configuration changed since it was made; run plan again',
    );
  });

  it('writes the file readable by its owner only', () => {
    const path = join(dir, 'private.json');
    writePlanFile(path, makePlan());
    expect(readFileSync(path, 'utf8')).toContain('"format_version": 1');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o077).toBe(0);
  });
});
