// The Management API scopes a grant in the configuration may ask for; the one list the validator knows.
// Kept small on purpose: the resources tenantctl itself manages, users, and reading client keys.

const RESOURCES = ['clients', 'connections', 'resource_servers', 'client_grants', 'users'] as const;
const ACTIONS = ['read', 'create', 'update', 'delete'] as const;

export const MANAGEMENT_API_SCOPES: readonly string[] = [
  ...RESOURCES.flatMap((resource) => ACTIONS.map((action) => `${action}:${resource}`)),
  'read:client_keys',
];
