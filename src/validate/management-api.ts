// The Management API scopes a grant in the configuration may ask for; the one list the validator knows.
// Kept small on purpose: the resources tenantctl itself manages, users, and reading client keys.

const RESOURCES = ['clients', 'connections', 'resource_servers', 'client_grants', 'users'] as const;
const ACTIONS = ['read', 'create', 'update', 'delete'] as const;

export const MANAGEMENT_API_SCOPES: readonly string[] = [
  ...RESOURCES.flatMap((resource) => ACTIONS.map((action) => `${action}:${resource}`)),
  'read:client_keys',
  // Connection options and tenant settings have only read and update scopes.
  'read:connections_options',
  'update:connections_options',
  'read:tenant_settings',
  'update:tenant_settings',
];
