// Every list of kinds is derived from the kind registry (src/model/kinds.ts). This test walks each kind through
// every place that must know it, so a kind missing from a derived list, a table keyed by kind, a schema or the
// emulator fails here by name rather than silently (an unplanned kind, an unexported folder, an unknown target).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultUndeclared, APPLY_ORDER, CHANGE_ORDER, DECLARED_KINDS, KIND_SPECS, KINDS, type Kind } from '../../src/model/kinds.js';
import { countByKind, toLiveObjects, type TenantSnapshot } from '../../src/model/snapshot.js';
import { KIND_FOLDERS } from '../../src/config/source.js';
import { loadSchemas, SCHEMA_FILE_NAMES } from '../../src/config/schema-files.js';
import { parsePlan, serializePlan } from '../../src/planfile/plan-file.js';
import { parseTarget } from '../../src/plan/targets.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderText } from '../../src/render/text.js';
import { remoteAdapters, type KindOperations } from '../../src/remote/adapters.js';
import { buildRoutes, matchRoute } from '../../src/emulator/routes.js';
import { DEFAULT_UNDECLARED, type Change, type Plan } from '../../src/plan/types.js';
import { tenantSnapshot } from '../support/snapshot.js';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'));

function planWith(changes: Change[]): Plan {
  return {
    format_version: 1,
    environment: 'dev',
    domain: 'acme.eu.auth0.com',
    config_hash: 'h',
    live_fingerprint: 'f',
    changes,
    skipped: [],
    notes: [],
    summary: { add: changes.length, change: 0, destroy: 0, replace: 0, unchanged: 0 },
    stats: { reads: null, objects: countByKind([]) },
  } as Plan;
}

const createOf = (kind: Kind): Change => ({
  kind,
  key: `a ${kind}`,
  action: 'create',
  fields: [],
  unchanged: 0,
  dependsOn: [],
  payload: {},
  requiresAllowDelete: false,
  impact: { deletes: false, replaces: false },
});

describe.each(KINDS.map((kind) => [kind]))('kind registry: %s', (kind) => {
  const spec = KIND_SPECS[kind];

  it('has a spec that names it, and a phase after every kind it refers to', () => {
    expect(spec.kind).toBe(kind);
    for (const dependency of spec.dependsOn) expect(KIND_SPECS[dependency].phase, `${kind} depends on ${dependency}`).toBeLessThan(spec.phase);
  });

  it('is in the apply order, the plan order and the plan file kinds', () => {
    expect(APPLY_ORDER).toContain(kind);
    expect(CHANGE_ORDER).toContain(kind);
    const saved = parsePlan(serializePlan(planWith([createOf(kind)])));
    expect(saved.changes[0]?.kind).toBe(kind);
  });

  it('is a --target prefix, an undeclared: policy key and a row of the renderers', () => {
    expect(parseTarget(`${spec.group}/x`)).toEqual({ kind, key: 'x' });
    expect(defaultUndeclared()[spec.group]).toBe(spec.undeclaredDefault);
    expect(DEFAULT_UNDECLARED[spec.group]).toBe(spec.undeclaredDefault);
    expect(schema('tenant.schema.json').properties.undeclared.properties).toHaveProperty(spec.group);
    const plan = planWith([createOf(kind)]);
    expect(renderMarkdown(plan)).toContain(`| ${spec.names.many} | 1 | 0 | 0 | 0 |`);
    expect(renderText(plan, { color: false })).toContain(`${spec.names.one} "a ${kind}"`);
  });

  it('is read from the snapshot, counted, and known to the output schemas', () => {
    const snapshot = tenantSnapshot({}) as TenantSnapshot;
    const raw = { name: 'x', identifier: 'https://x.example/', client_id: 'c', audience: 'https://x.example/', [spec.read.idField]: 'id-1' };
    (snapshot as unknown as Record<string, unknown[]>)[spec.read.list] = [...((snapshot as unknown as Record<string, unknown[]>)[spec.read.list] ?? []), raw];
    expect(toLiveObjects(snapshot).some((object) => object.kind === kind && object.id === 'id-1')).toBe(true);
    const output = schema('plan-output.schema.json');
    expect(output.$defs.kind.enum).toContain(kind);
    expect(output.$defs.change.properties.kind.enum).toContain(kind);
    expect(output.properties.stats.properties.objects.required).toContain(kind);
    expect(schema('apply-report.schema.json').$defs.kind.enum).toContain(kind);
  });

  it('has a remote adapter and an emulator collection', () => {
    const adapter = remoteAdapters({} as KindOperations)[kind];
    expect(Object.keys(adapter).sort()).toEqual(['create', 'find', 'list', 'remove', 'update']);
    const routes = buildRoutes();
    for (const [method, path] of [['GET', spec.path], ['POST', spec.path], ['PATCH', `${spec.path}/id-1`], ['DELETE', `${spec.path}/id-1`]] as const) {
      expect(matchRoute(routes, method, `/api/v2/${path}`), `${method} /api/v2/${path}`).toBeDefined();
    }
  });
});

describe.each(DECLARED_KINDS.map((kind) => [kind]))('kind registry, declared in files: %s', (kind) => {
  it('has its folder, its schema and its place in export', () => {
    const files = KIND_SPECS[kind].files!;
    expect(KIND_FOLDERS[kind]).toBe(files.folder);
    expect(SCHEMA_FILE_NAMES[kind]).toBe(files.schema);
    expect(loadSchemas()[kind].properties).toHaveProperty(files.keyField);
  });
});

describe('kind registry', () => {
  it('derives the orders from the phases: enablement after connections, deletes in reverse', () => {
    expect(CHANGE_ORDER.indexOf('enablement')).toBeGreaterThan(CHANGE_ORDER.indexOf('connection'));
    expect(APPLY_ORDER.map((kind) => KIND_SPECS[kind].phase)).toEqual([...APPLY_ORDER.map((kind) => KIND_SPECS[kind].phase)].sort((a, b) => a - b));
  });
});
