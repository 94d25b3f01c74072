// The kind registry: one spec per resource kind (its files, key, names, how it is read from the tenant, what is a
// system object, its references, apply phase and undeclared default, its field rules). Every list of kinds in the
// project is derived from here: `Kind`, the apply and plan orders, the plan file's kinds, `--target` prefixes, the
// renderers' rows, the config's folders and schemas, export's folders, the `undeclared:` keys. The remote adapters
// (src/remote/adapters.ts) and the emulator's routes are tables keyed by `Kind`, so the compiler and
// test/unit/kind-registry.test.ts catch a kind missing there too.
import { apiSpec } from './api.js';
import { applicationSpec } from './application.js';
import { connectionSpec } from './connection.js';
import { grantSpec } from './grant.js';
import type { KindSpec, UndeclaredPolicy } from './kind-spec.js';
import { organizationSpec } from './organization.js';

/** Every kind tenantctl manages. Adding a kind: its spec file, and one entry here and in KIND_SPECS. */
export const KINDS = ['application', 'connection', 'api', 'grant', 'organization'] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_SPECS: Readonly<Record<Kind, KindSpec>> = {
  api: apiSpec,
  application: applicationSpec,
  connection: connectionSpec,
  grant: grantSpec,
  organization: organizationSpec,
};

/** The kinds declared in files of their own (all but grants, which live in their application's file). */
export type DeclaredKind = Exclude<Kind, 'grant'>;
export const DECLARED_KINDS = KINDS.filter((kind): kind is DeclaredKind => KIND_SPECS[kind].files !== undefined);

/** Which applications may use a connection: a step of its own, after connections, before what refers to them. */
export const ENABLEMENT = 'enablement' as const;
const ENABLEMENT_PHASE = 35;
/** What a planned change is about: an object of a kind, or a connection's enablement. */
export type ChangeKind = Kind | typeof ENABLEMENT;

function phaseOf(kind: ChangeKind): number {
  return kind === ENABLEMENT ? ENABLEMENT_PHASE : KIND_SPECS[kind].phase;
}

/** Kinds in the order their creates and updates are applied; deletes run in the reverse. */
export const APPLY_ORDER: readonly Kind[] = [...KINDS].sort((a, b) => phaseOf(a) - phaseOf(b));
/** Every change kind in plan order (creates and updates). */
export const CHANGE_ORDER: readonly ChangeKind[] = [...KINDS, ENABLEMENT].sort((a, b) => phaseOf(a) - phaseOf(b));

/** The apply phase of a change: forward for creates and updates, then every delete phase in reverse. */
export function changePhase(kind: ChangeKind, action: string): number {
  const index = CHANGE_ORDER.indexOf(kind);
  return action === 'delete' ? 2 * CHANGE_ORDER.length - 1 - index : index;
}

/** The kind a config group name (`applications`, `apis`, ...) stands for. */
export function kindOfGroup(group: string): Kind | undefined {
  return KINDS.find((kind) => KIND_SPECS[kind].group === group);
}

/** The `undeclared:` policies when tenant.yaml sets none, keyed by group name. */
export function defaultUndeclared(): Record<string, UndeclaredPolicy> {
  return Object.fromEntries(KINDS.map((kind) => [KIND_SPECS[kind].group, KIND_SPECS[kind].undeclaredDefault]));
}

/** `API "x"`, `application "y"`: how a change or an object is named in messages and reports. */
export function kindLabel(kind: ChangeKind): string {
  return kind === ENABLEMENT ? 'enabled applications of connection' : KIND_SPECS[kind].names.one;
}
