// Rules for connections: name and strategy are immutable, options are replaced whole by Auth0,
// enablement is planned separately through /connections/{id}/clients (enabled_clients is deprecated).
import { compareText } from './canonical.js';
import { carriesMarker, sameBody, textOf, type KindSpec } from './kind-spec.js';

const DISPLAY_NAME_STRATEGIES = new Set(['oidc', 'okta', 'waad']);

/**
 * Auth0's scopes for connection `options` ("Migrate to Management API Connection Options Scopes"): without the read
 * scope GET answers leave `options` out; without the update scope a PATCH whose body holds `options` gets 403.
 */
export const OPTIONS_READ_SCOPE = 'read:connections_options';
export const OPTIONS_UPDATE_SCOPE = 'update:connections_options';

/** Auth0 takes at most this many `{client_id, status}` items per PATCH of a connection's enabled clients. */
export const ENABLEMENT_BATCH = 50;

export const connectionSpec: KindSpec = {
  kind: 'connection',
  group: 'connections',
  names: { one: 'connection', many: 'connections', keyName: 'name' },
  files: { folder: 'connections', schema: 'connection.schema.json', keyField: 'name' },
  phase: 30,
  dependsOn: [],
  undeclaredDefault: 'managed',
  references: () => [],
  toRequest: sameBody,
  path: 'connections',
  read: {
    list: 'connections',
    idField: 'id',
    key: (raw) => textOf(raw.name),
    // `enabled_clients` becomes the sorted application NAMES from the enablement read, absent when it was not read.
    fields(raw, context) {
      const { enabled_clients: _deprecated, ...fields } = raw;
      const enabledIds = context.snapshot.enabledClients[textOf(raw.id)];
      if (enabledIds) fields.enabled_clients = enabledIds.map((clientId) => context.clientName(clientId)).sort(compareText);
      return fields;
    },
    isSystem: () => false,
    managed: (raw) => carriesMarker(raw.metadata),
    // Auth0 leaves `options` out unless the token has read:connections_options ("connection options scope" migration).
    unread: (raw) => ('options' in raw ? undefined : ['options']),
  },
  systemReason: () => 'a system connection; tenantctl never writes it',
  deletedInBackground: true,
  destroysData: (live) => (live.strategy === 'auth0' ? { object: 'database connection', loses: 'its users' } : undefined),
  readOnly: new Set(['id', 'provisioning_ticket_url', 'created_at', 'updated_at']),
  immutable: new Set(['name', 'strategy']),
  notCompared: new Set(['enabled_clients']),
  notSent: new Set(['enabled_clients']),
  setPaths: new Set(['realms']),
  setElementKey: {},
  // Auth0 resets display_name on some updates that omit it.
  alwaysSentOnUpdate: ['display_name'],
  // A PATCH replaces `options` whole (Auth0's connection update docs), so undeclared options must go along.
  updateShape: { options: 'whole', metadata: 'whole' },
  refusedOnUpdate: [],
  markerField: 'metadata',
  serverDefaults(live) {
    const defaults: Record<string, unknown> = {
      is_domain_connection: false,
      show_as_button: false,
      metadata: {},
      options: {},
    };
    if (typeof live.name === 'string') defaults.realms = [live.name];
    // Recorded traffic (shared/fidelity "Observed facts" 11): these strategies get display_name = name.
    if (typeof live.name === 'string' && DISPLAY_NAME_STRATEGIES.has(String(live.strategy))) defaults.display_name = live.name;
    if (live.strategy === 'auth0') {
      defaults.options = {
        mfa: { active: true, return_enroll_settings: true },
        passwordPolicy: 'good',
        strategy_version: 2,
        brute_force_protection: true,
        authentication_methods: { password: { enabled: true }, passkey: { enabled: false } },
        passkey_options: { challenge_ui: 'both', progressive_enrollment_enabled: true, local_enrollment_enabled: true },
      };
    }
    return defaults;
  },
};
