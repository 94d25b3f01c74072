// Connections: writable fields, per-strategy defaults Auth0 adds on create, and rendering.
// The enabled-clients set lives in the store; the deprecated `enabled_clients` field is rendered from it.
import type { Json } from '../collection.js';
import { HttpError, invalidBody } from '../errors.js';
import { newConnectionId } from '../ids.js';
import { clone, isPlainObject, optionalStringArray, rejectUnknownKeys, requireObject, requireString, typeOf } from './validate.js';

const updatable = [
  'display_name', 'options', 'enabled_clients', 'is_domain_connection', 'show_as_button', 'realms', 'metadata',
  'authentication', 'connected_accounts', 'cross_app_access_requesting_app', 'cross_app_access_resource_app',
];
export const connectionCreateFields: ReadonlySet<string> = new Set(['name', 'strategy', ...updatable]);
/** `name` and `strategy` are immutable: a PATCH naming them is rejected like any unknown property. */
export const connectionUpdateFields: ReadonlySet<string> = new Set(updatable);

const enterpriseStrategies = new Set(['ad', 'adfs', 'google-apps', 'oidc', 'okta', 'pingfederate', 'samlp', 'waad']);
const provisioningStrategies = new Set(['ad', 'adfs', 'google-apps', 'pingfederate', 'samlp', 'waad']);
const displayNameStrategies = new Set(['oidc', 'okta', 'waad']);
/**
 * Strategies whose connections Auth0 answers with the `authentication: {active: true}` and
 * `connected_accounts: {active: false}` switches when they were not sent: the majority of the recorded answers for
 * each of these strategies carry them (auth0 100 of 122, oidc 38/42, google-apps 16/25, line 12/12, google-oauth2
 * 6/9, samlp 6/11, oauth2 4/4), and no recorded answer for any other strategy does except okta (8 of 26) and waad
 * (2 of 10). The split follows the recording date too (every answer recorded with Go-Auth0 1.31 or later has them),
 * see docs/EMULATOR.md "Rules and their evidence".
 */
const purposeStrategies = new Set(['auth0', 'oidc', 'google-apps', 'google-oauth2', 'line', 'samlp', 'oauth2']);
const namePattern = /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/;

/**
 * The password rules current Auth0 answers a database connection with when none were sent (identical in every
 * recording that shows them: Go-Auth0 1.46 and the 2026 deploy-cli tenant); sent sections replace their default.
 */
const passwordOptionsDefaults: Json = {
  complexity: {
    character_type_rule: 'all', identical_characters: 'allow', sequential_characters: 'allow', max_length_exceeded: 'error',
    min_length: 15, character_types: [],
  },
  profile_data: {
    active: false,
    blocked_fields: ['name', 'username', 'nickname', 'email', 'phone_number', 'user_metadata.name', 'user_metadata.first', 'user_metadata.last'],
  },
  history: { active: false, size: 3 },
  dictionary: { active: false, custom: [], default: 'en_100k' },
};

function databaseOptions(sent: Json | undefined): Json {
  const options: Json = { mfa: { active: true, return_enroll_settings: true }, passwordPolicy: 'good', ...(sent ?? {}) };
  options.strategy_version ??= 2;
  options.password_options = { ...clone(passwordOptionsDefaults), ...(isPlainObject(options.password_options) ? options.password_options : {}) };
  // `api_behavior` since Go-Auth0 1.32, `signup_behavior` since 1.35 recordings: every later create shows both.
  options.authentication_methods ??= { password: { enabled: true, api_behavior: 'required', signup_behavior: 'allow' }, passkey: { enabled: false } };
  options.passkey_options ??= { challenge_ui: 'both', progressive_enrollment_enabled: true, local_enrollment_enabled: true };
  options.brute_force_protection ??= true;
  return options;
}

function checkConnectionBody(body: Json): void {
  optionalStringArray(body, 'realms');
  optionalStringArray(body, 'enabled_clients');
  if (body.options !== undefined && !isPlainObject(body.options)) {
    throw invalidBody(`Expected type object but found type ${typeOf(body.options)}`, 'options');
  }
}

/** Only OpenID Connect style enterprise connections can ask other apps for cross-app access. */
const crossAppRequestingStrategies = new Set(['oidc', 'okta']);

const connectionRule = (message: string): HttpError => new HttpError(400, message, 'invalid_body');

/**
 * The flexible-identifier rules Auth0 enforces on database connection options, with its messages
 * (recorded 400s, fidelity fact 4). The first broken rule is reported, in the order Auth0 checks them.
 */
function checkDatabaseOptions(options: Json, previous: Json | undefined): void {
  const attributes = options.attributes;
  if (!isPlainObject(attributes)) return;
  if (options.requires_username === true) throw connectionRule('Cannot set both options.attributes and options.requires_username');
  if (options.validation !== undefined && options.validation !== null) throw connectionRule('Cannot set both options.attributes and options.validation');
  const entries = Object.entries(attributes).filter((entry): entry is [string, Json] => isPlainObject(entry[1]));
  const isIdentifier = (attribute: Json): boolean => isPlainObject(attribute.identifier) && attribute.identifier.active === true;
  if (!entries.some(([, attribute]) => isIdentifier(attribute))) throw connectionRule('attributes must contain one active identifier');
  for (const [name, attribute] of entries) {
    const signup = attribute.signup;
    if (isIdentifier(attribute) && isPlainObject(signup) && signup.status !== undefined && signup.status !== 'required') {
      throw connectionRule(`attribute ${name} must also be required on signup`);
    }
  }
  // A new connection may start with a non-unique email (recorded 201); an update may not turn it non-unique.
  const email = attributes.email;
  const previousEmail = previous && isPlainObject(previous.attributes) ? previous.attributes.email : undefined;
  const alreadyNonUnique = isPlainObject(previousEmail) && previousEmail.unique === false;
  if (previous && isPlainObject(email) && email.unique === false && !alreadyNonUnique) throw connectionRule('cannot add non-unique email attribute');
}

function checkStrategyFeatures(strategy: string, body: Json, previousOptions?: Json): void {
  const requesting = body.cross_app_access_requesting_app;
  if (isPlainObject(requesting) && requesting.active === true && !crossAppRequestingStrategies.has(strategy)) {
    throw new HttpError(400, 'Cross App Access Requesting App is not supported for this connection.', 'operation_not_supported');
  }
  if (strategy === 'auth0' && isPlainObject(body.options)) checkDatabaseOptions(body.options, previousOptions);
}

export interface CreatedConnection {
  record: Json;
  enabledClients: string[];
}

/** Builds the stored record for POST /connections; the caller checks name uniqueness and client ids. */
export function createConnectionRecord(input: unknown, tenantHost: string): CreatedConnection {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, connectionCreateFields);
  const name = requireString(body, 'name');
  const strategy = requireString(body, 'strategy');
  if (name.length > 128 || !namePattern.test(name)) {
    throw invalidBody(`String does not match pattern ${namePattern.source}: ${name}`, 'name');
  }
  checkConnectionBody(body);
  checkStrategyFeatures(strategy, body);
  const id = newConnectionId();
  const sentOptions = body.options as Json | undefined;
  const record: Json = {
    id,
    options: strategy === 'auth0' ? databaseOptions(sentOptions) : (sentOptions ?? {}),
    strategy,
    name,
  };
  if (provisioningStrategies.has(strategy)) {
    record.provisioning_ticket_url = `https://${tenantHost}/p/${strategy}/${id.slice(4)}`;
  }
  record.is_domain_connection = body.is_domain_connection ?? false;
  if (enterpriseStrategies.has(strategy)) record.show_as_button = body.show_as_button ?? false;
  if (body.authentication !== undefined || purposeStrategies.has(strategy)) record.authentication = body.authentication ?? { active: true };
  if (body.connected_accounts !== undefined || purposeStrategies.has(strategy)) record.connected_accounts = body.connected_accounts ?? { active: false };
  for (const key of ['cross_app_access_requesting_app', 'cross_app_access_resource_app']) {
    if (body[key] !== undefined && body[key] !== null) record[key] = body[key];
  }
  if (body.display_name !== undefined) record.display_name = body.display_name;
  else if (displayNameStrategies.has(strategy)) record.display_name = name;
  record.enabled_clients = [];
  record.realms = body.realms ?? [name];
  if (body.metadata !== undefined) record.metadata = body.metadata;
  return { record, enabledClients: (body.enabled_clients as string[] | undefined) ?? [] };
}

export interface UpdatedConnection {
  record: Json;
  /** Present when the PATCH sent the deprecated `enabled_clients`, which replaces the whole set. */
  enabledClients?: string[];
}

/** PATCH semantics: top-level fields replace, including the whole `options` object. */
export function updateConnectionRecord(record: Json, input: unknown): UpdatedConnection {
  const body = clone(requireObject(input));
  rejectUnknownKeys(body, connectionUpdateFields);
  checkConnectionBody(body);
  checkStrategyFeatures(String(record.strategy), body, isPlainObject(record.options) ? record.options : {});
  const next = clone(record);
  for (const [key, value] of Object.entries(body)) {
    if (key === 'enabled_clients') continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const enabledClients = body.enabled_clients as string[] | undefined;
  return enabledClients === undefined ? { record: next } : { record: next, enabledClients };
}

/**
 * `enabled_clients` lists the clients in the order they were enabled: the newest recordings (2026 deploy-cli
 * tenants) show that order, e.g. the tool's own client first, not an alphabetical one.
 */
export function renderConnection(record: Json, enabledClients: Iterable<string>): Json {
  const out = clone(record);
  out.enabled_clients = [...enabledClients];
  return out;
}
