// Test helper: an in-memory tenant behind apply's narrow WriteTarget. It keeps objects per kind, answers with ids,
// records every call in order, and can be told to fail a create (Auth0's 400, or an answer lost after the object
// landed or not), so apply's phases, skips, lookups and safety checks are tested without HTTP.
import type { WriteTarget } from '../../src/apply/apply.js';
import { ApiError, UncertainCreateError } from '../../src/errors.js';
import { KIND_SPECS } from '../../src/model/kinds.js';
import type { TenantSnapshot } from '../../src/model/snapshot.js';
import type { Kind } from '../../src/model/types.js';

type Raw = Record<string, unknown>;

/** How a create of one object (by its natural key field) goes wrong. */
export type CreateFault = 'rejected' | 'lost-landed' | 'lost';

export class FakeTenant implements WriteTarget {
  readonly calls: string[] = [];
  readonly objects = new Map<Kind, Raw[]>();
  /** Faults by `kind:name`, used up one per create attempt. */
  private readonly faults = new Map<string, CreateFault[]>();
  private next = 1;

  constructor(snapshot: TenantSnapshot) {
    for (const [kind, spec] of Object.entries(KIND_SPECS) as [Kind, (typeof KIND_SPECS)[Kind]][]) {
      this.objects.set(kind, [...((snapshot[spec.read.list] as Raw[] | undefined) ?? [])]);
    }
  }

  failCreate(kind: Kind, name: string, ...faults: CreateFault[]): this {
    this.faults.set(`${kind}:${name}`, faults);
    return this;
  }

  private nameOf(kind: Kind, body: Raw): string {
    return String(body.name ?? body.identifier ?? `${String(body.client_id)} -> ${String(body.audience)}`);
  }

  async create(kind: Kind, body: Raw, object: string): Promise<Raw> {
    const name = this.nameOf(kind, body);
    this.calls.push(`create ${kind} ${name}`);
    const fault = this.faults.get(`${kind}:${name}`)?.shift();
    const request = { method: 'POST', path: `/api/v2/${KIND_SPECS[kind].path}` };
    if (fault === 'rejected') throw new ApiError(request, 400, 'Payload validation error', 'invalid_body', object);
    if (fault === 'lost') throw new UncertainCreateError(request, 503, 'no answer', undefined, object);
    const created = { ...body, [KIND_SPECS[kind].read.idField]: `${kind}-${this.next++}` };
    this.objects.get(kind)!.push(created);
    if (fault === 'lost-landed') throw new UncertainCreateError(request, 503, 'no answer', undefined, object);
    return created;
  }

  async update(kind: Kind, id: string, body: Raw): Promise<Raw> {
    this.calls.push(`update ${kind} ${id}`);
    const found = this.byId(kind, id);
    Object.assign(found, body);
    return found;
  }

  async remove(kind: Kind, id: string): Promise<void> {
    this.calls.push(`remove ${kind} ${id}`);
    this.objects.set(kind, this.objects.get(kind)!.filter((raw) => raw[KIND_SPECS[kind].read.idField] !== id));
  }

  async find(kind: Kind, body: Raw): Promise<Raw | undefined> {
    const name = this.nameOf(kind, body);
    this.calls.push(`find ${kind} ${name}`);
    return this.objects.get(kind)!.find((raw) => this.nameOf(kind, raw) === name);
  }

  async updateEnabledClients(id: string, changes: { client_id: string; status: boolean }[]): Promise<void> {
    this.calls.push(`enable ${id} ${changes.map((change) => `${change.status ? '+' : '-'}${change.client_id}`).join(' ')}`);
  }

  private byId(kind: Kind, id: string): Raw {
    const found = this.objects.get(kind)!.find((raw) => raw[KIND_SPECS[kind].read.idField] === id);
    if (!found) throw new ApiError({ method: 'PATCH', path: `/api/v2/${KIND_SPECS[kind].path}/${id}` }, 404, 'Not found');
    return found;
  }
}
