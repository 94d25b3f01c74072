// Rules for organizations (Auth0 Organizations: one per partner company, each with its own login): keyed by `name`,
// which Auth0 lets change but tenantctl matches on; metadata holds the ownership marker; enabled connections are
// declared by connection name and compared as a set keyed by connection (Management API, "Organizations":
// POST /organizations takes `enabled_connections` with connection_id, assign_membership_on_login, show_as_button;
// later changes go through /organizations/{id}/enabled_connections, see src/remote/adapters.ts).
import { carriesMarker, textOf, type KindSpec } from './kind-spec.js';

/** One enabled connection as declared and as compared: the connection by NAME and its two settings. */
export interface OrganizationConnection {
  connection: string;
  assign_membership_on_login?: boolean;
  show_as_button?: boolean;
}

export const organizationSpec: KindSpec = {
  kind: 'organization',
  group: 'organizations',
  names: { one: 'organization', many: 'organizations', keyName: 'name' },
  files: { folder: 'organizations', schema: 'organization.schema.json', keyField: 'name' },
  // After connections (its enabled connections name them), before enablement and grants need nothing of it.
  phase: 32,
  dependsOn: ['connection'],
  undeclaredDefault: 'managed',
  references: (fields) =>
    (Array.isArray(fields.enabled_connections) ? (fields.enabled_connections as Record<string, unknown>[]) : []).map((entry) => ({
      kind: 'connection' as const,
      key: textOf(entry.connection),
    })),
  toRequest(body, idOf) {
    if (!Array.isArray(body.enabled_connections)) return body;
    const enabled = (body.enabled_connections as Record<string, unknown>[]).map(({ connection, ...settings }) => ({
      connection_id: idOf('connection', textOf(connection)),
      ...settings,
    }));
    return { ...body, enabled_connections: enabled };
  },
  path: 'organizations',
  // Organizations need read:organizations and read:organization_connections, which existing setups lack.
  optionalReadScope: 'read:organizations',
  read: {
    list: 'organizations',
    idField: 'id',
    key: (raw) => textOf(raw.name),
    // Enabled connections by connection NAME, from the per-organization read (absent when it was not read).
    fields(raw, context) {
      const fields = { ...raw };
      const enabled = context.snapshot.organizationConnections?.[textOf(raw.id)];
      if (enabled) {
        const names = new Map(context.snapshot.connections.map((connection) => [textOf(connection.id), textOf(connection.name)]));
        fields.enabled_connections = enabled.map((entry) => ({
          connection: names.get(textOf(entry.connection_id)) ?? textOf(entry.connection_id),
          assign_membership_on_login: entry.assign_membership_on_login === true,
          show_as_button: entry.show_as_button !== false,
        }));
      }
      return fields;
    },
    isSystem: () => false,
    managed: (raw) => carriesMarker(raw.metadata),
  },
  systemReason: () => 'a system organization; tenantctl never writes it',
  readOnly: new Set(['id', 'created_at', 'updated_at']),
  immutable: new Set(),
  notCompared: new Set(),
  notSent: new Set(),
  setPaths: new Set(['enabled_connections']),
  setElementKey: { enabled_connections: 'connection' },
  alwaysSentOnUpdate: [],
  // metadata is a flat map of strings (SDK OrganizationMetadata), sent whole like an application's client_metadata;
  // branding whole, since its `colors` needs both members (SDK OrganizationBrandingColors).
  updateShape: { metadata: 'whole', branding: 'whole' },
  refusedOnUpdate: [],
  markerField: 'metadata',
  serverDefaults() {
    // Auth0's defaults for an enabled connection (SDK ConnectionForOrganization: show_as_button "Default: true").
    return { enabled_connections: [] };
  },
};
