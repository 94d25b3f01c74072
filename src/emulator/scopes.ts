// The Management API scopes the emulator knows and which one each route needs.
// A token carries the scopes of its client's grant to the Management API audience.

const kinds = ['clients', 'connections', 'resource_servers', 'client_grants', 'client_keys', 'client_credentials'] as const;

/** Every scope the emulator checks, in a stable order (also the system API's scope list). */
export const knownScopes: readonly string[] = kinds.flatMap((kind) =>
  ['read', 'create', 'update', 'delete'].map((verb) => `${verb}:${kind}`),
);

export type ScopedKind = (typeof kinds)[number];

const verbByMethod: Record<string, string> = { GET: 'read', POST: 'create', PATCH: 'update', DELETE: 'delete' };

export function scopeFor(method: string, kind: ScopedKind): string {
  return `${verbByMethod[method] ?? 'read'}:${kind}`;
}
