// Read (and settings) endpoints of the kinds the emulator does not model: it answers them as a tenant that has
// none of them, so that general-purpose clients such as auth0-deploy-cli can export and import against it.
// Lists are empty in Auth0's envelope (the items key each node-auth0 list method reads); tenant-wide settings
// start from a new tenant's values and keep what a PATCH or PUT sets. Shapes: the answers a real tenant gave
// auth0-deploy-cli's export (its test/e2e/recordings/should-dump-without-throwing-an-error.json, "the dump
// recording" below), node-auth0's list types and the Management API reference; a conformance test runs
// auth0-deploy-cli itself through them.
import type { Json } from './collection.js';
import { HttpError } from './errors.js';
import { paginate, queryValue, type Query } from './paging.js';
import { isPlainObject } from './resources/validate.js';

export interface UnmodelledRoute {
  method: 'GET' | 'PATCH' | 'PUT';
  /** Path under /api/v2/, `{id}` for one segment. */
  path: string;
  answer(query: Query, body: unknown, settings: Map<string, unknown>, params: string[]): { status: number; body?: unknown };
}

/** Collections a new tenant holds none of, with the key node-auth0 reads the items from. */
const keyedLists: Array<[path: string, key: string]> = [
  ['rules', 'rules'],
  ['hooks', 'hooks'],
  ['roles', 'roles'],
  ['flows', 'flows'],
  ['flows/vault/connections', 'connections'],
  ['forms', 'forms'],
  ['self-service-profiles', 'self_service_profiles'],
  ['event-streams', 'eventStreams'],
  ['network-acls', 'network_acls'],
  ['rate-limit-policies', 'rate_limit_policies'],
  ['token-exchange-profiles', 'token_exchange_profiles'],
  ['user-attribute-profiles', 'user_attribute_profiles'],
  ['connection-profiles', 'connection_profiles'],
  ['prompts/rendering', 'configs'],
  ['logs', 'logs'],
  ['grants', 'grants'],
  ['device-credentials', 'device_credentials'],
  ['groups', 'groups'],
  ['agents', 'agents'],
  ['organization-templates', 'organization_templates'],
  ['verifiable-credentials/verification/templates', 'templates'],
];

/** Page-numbered lists of actions answer without `start`/`limit` (dump recording). */
const actionLists: Array<[path: string, answer: (perPage: number, page: number) => Json]> = [
  ['actions/actions', (perPage) => ({ actions: [], per_page: perPage })],
  ['actions/modules', (perPage, page) => ({ modules: [], total: 0, page, per_page: perPage })],
  ['actions/triggers/{id}/bindings', (perPage) => ({ bindings: [], per_page: perPage })],
];

/** Collections Auth0 answers as a bare array. */
const bareLists = ['custom-domains', 'log-streams', 'rules-configs'];

/** Collections answered in a wrapper without paging. */
const wrappedLists: Array<[path: string, key: string]> = [
  ['branding/phone/providers', 'providers'],
  ['branding/phone/templates', 'templates'],
];

/**
 * Settings every tenant has, with a new tenant's values (Management API reference examples and defaults).
 * GET answers the current value, PATCH merges the sent keys into it, PUT replaces it.
 */
const settingsDefaults: Array<[path: string, initial: Json | string[], writes: Array<'PATCH' | 'PUT'>]> = [
  ['guardian/policies', [], ['PUT']],
  ['guardian/factors/phone/message-types', { message_types: [] }, ['PUT']],
  ['prompts', { universal_login_experience: 'new', identifier_first: false }, ['PATCH']],
  ['branding', {}, ['PATCH']],
  [
    'attack-protection/breached-password-detection',
    {
      enabled: false, shields: [], admin_notification_frequency: [], method: 'standard',
      stage: { 'pre-user-registration': { shields: [] }, 'pre-change-password': { shields: [] } },
    },
    ['PATCH'],
  ],
  [
    'attack-protection/brute-force-protection',
    { enabled: true, shields: ['block', 'user_notification'], mode: 'count_per_identifier_and_ip', allowlist: [], max_attempts: 10 },
    ['PATCH'],
  ],
  [
    'attack-protection/suspicious-ip-throttling',
    {
      enabled: true, shields: ['admin_notification', 'block'], allowlist: [],
      stage: { 'pre-login': { max_attempts: 100, rate: 864000 }, 'pre-user-registration': { max_attempts: 50, rate: 1728000 } },
    },
    ['PATCH'],
  ],
  [
    'attack-protection/bot-detection',
    {
      bot_detection_level: 'medium', challenge_password_policy: 'never', challenge_passwordless_policy: 'never',
      challenge_password_reset_policy: 'never', allowlist: [], monitoring_mode_enabled: false,
    },
    ['PATCH'],
  ],
  [
    'attack-protection/captcha',
    {
      active_provider_id: 'auth_challenge', simple_captcha: {}, auth_challenge: { fail_open: false }, recaptcha_v2: { site_key: '' },
      recaptcha_enterprise: { site_key: '', project_id: '' }, hcaptcha: { site_key: '' }, friendly_captcha: { site_key: '' },
      arkose: { site_key: '', client_subdomain: 'client-api', verify_subdomain: 'verify-api', fail_open: false },
    },
    ['PATCH'],
  ],
  [
    'guardian/factors/sms/templates',
    {
      enrollment_message: '{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.',
      verification_message: '{{code}} is your verification code for {{tenant.friendly_name}}',
    },
    ['PUT'],
  ],
  [
    'guardian/factors/phone/templates',
    {
      enrollment_message: '{{code}} is your verification code for {{tenant.friendly_name}}. Please enter this code to verify your enrollment.',
      verification_message: '{{code}} is your verification code for {{tenant.friendly_name}}',
    },
    ['PUT'],
  ],
  ['guardian/factors/phone/selected-provider', { provider: 'auth0' }, ['PUT']],
  ['guardian/factors/sms/selected-provider', { provider: 'auth0' }, ['PUT']],
  ['guardian/factors/sms/providers/twilio', {}, ['PUT']],
  ['guardian/factors/phone/providers/twilio', {}, ['PUT']],
  ['guardian/factors/push-notification/providers/sns', {}, ['PUT', 'PATCH']],
  ['guardian/factors/push-notification/providers/apns', {}, ['PUT', 'PATCH']],
  ['risk-assessments/settings', { enabled: false }, ['PATCH']],
  ['risk-assessments/settings/new-device', { remember_for: 30 }, ['PATCH']],
  ['supplemental-signals', { akamai_enabled: false }, ['PATCH']],
];

/**
 * Singletons a new tenant does not have: Auth0 answers 404 until they are configured, and clients read that as
 * "none" (auth0-deploy-cli: emailProvider.js, emailTemplates.js, themes.js treat 404 as not configured).
 */
const absentSingletons: Array<[path: string, error: () => HttpError]> = [
  ['emails/provider', () => new HttpError(404, 'Not Found')],
  ['email-templates/{id}', () => new HttpError(404, 'The template does not exist.', 'inexistent_email_template')],
  ['branding/themes/default', () => new HttpError(404, 'There was an error retrieving branding settings: invalid theme ID', 'theme_not_found')],
  ['branding/templates/universal-login', () => new HttpError(404, 'Not Found')],
];

/** The triggers every tenant has, as the dump recording lists them (their runtimes left out); no action is bound to any. */
const triggers: Json[] = [
  ['post-login', 'v1', 'DEPRECATED'], ['post-login', 'v3', 'CURRENT'], ['post-login', 'v2', 'DEPRECATED'],
  ['credentials-exchange', 'v2', 'CURRENT'], ['credentials-exchange', 'v1', 'DEPRECATED'],
  ['pre-user-registration', 'v2', 'CURRENT'], ['pre-user-registration', 'v1', 'DEPRECATED'],
  ['post-user-registration', 'v1', 'DEPRECATED'], ['post-user-registration', 'v2', 'CURRENT'],
  ['post-change-password', 'v2', 'CURRENT'], ['post-change-password', 'v1', 'DEPRECATED'],
  ['send-phone-message', 'v1', 'DEPRECATED'], ['send-phone-message', 'v2', 'CURRENT'],
  ['password-reset-post-challenge', 'v1', 'CURRENT'], ['custom-phone-provider', 'v1', 'CURRENT'],
  ['custom-email-provider', 'v1', 'CURRENT'], ['custom-token-exchange', 'v1', 'CURRENT'], ['event-stream', 'v1', 'CURRENT'],
  ['password-hash-migration', 'v1', 'CURRENT'], ['mcp-tool', 'v1', 'CURRENT'],
].map(([id, version, status]) => ({ id, version, status }));

/** The MFA factors every tenant has, all disabled until enabled (dump recording). */
const guardianFactorNames = ['sms', 'push-notification', 'otp', 'email', 'duo', 'webauthn-roaming', 'webauthn-platform', 'recovery-code'];

function page(items: Json[], query: Query, key: string): unknown {
  return paginate(items, query, { key, checkpoint: queryValue(query, 'take') !== undefined || queryValue(query, 'from') !== undefined });
}

function mergeSettings(current: Json, sent: unknown): Json {
  return isPlainObject(sent) ? { ...current, ...sent } : current;
}

export function unmodelledRoutes(): UnmodelledRoute[] {
  const routes: UnmodelledRoute[] = [];
  for (const [path, key] of keyedLists) routes.push({ method: 'GET', path, answer: (query) => ({ status: 200, body: page([], query, key) }) });
  for (const [path, body] of actionLists) {
    routes.push({ method: 'GET', path, answer: (query) => ({ status: 200, body: body(Number(queryValue(query, 'per_page') ?? 50), Number(queryValue(query, 'page') ?? 0)) }) });
  }
  routes.push({ method: 'GET', path: 'actions/triggers', answer: () => ({ status: 200, body: { triggers: structuredClone(triggers) } }) });
  for (const [path, error] of absentSingletons) {
    routes.push({
      method: 'GET',
      path,
      answer: () => {
        throw error();
      },
    });
  }
  // Factors are switched one by one (PUT /guardian/factors/{name} {enabled}); the list shows them all.
  const factorKey = (name: string): string => `guardian/factors/${name}`;
  routes.push({
    method: 'GET',
    path: 'guardian/factors',
    answer: (_query, _body, settings) => ({
      status: 200,
      body: guardianFactorNames.map((name) => ({ name, enabled: settings.get(factorKey(name)) === true, trial_expired: false })),
    }),
  });
  routes.push({
    method: 'PUT',
    path: 'guardian/factors/{id}',
    answer: (_query, body, settings, params) => {
      const name = params[0] ?? '';
      if (!guardianFactorNames.includes(name)) throw new HttpError(404, 'Not Found');
      const enabled = isPlainObject(body) && body.enabled === true;
      settings.set(factorKey(name), enabled);
      return { status: 200, body: { enabled } };
    },
  });
  for (const path of bareLists) routes.push({ method: 'GET', path, answer: () => ({ status: 200, body: [] }) });
  for (const [path, key] of wrappedLists) routes.push({ method: 'GET', path, answer: () => ({ status: 200, body: { [key]: [] } }) });
  // Per-prompt texts and partials start empty for every prompt and language.
  routes.push({ method: 'GET', path: 'prompts/{id}/custom-text/{id}', answer: () => ({ status: 200, body: {} }) });
  routes.push({ method: 'GET', path: 'prompts/{id}/partials', answer: () => ({ status: 200, body: {} }) });
  for (const [path, initial, writes] of settingsDefaults) {
    const current = (settings: Map<string, unknown>): unknown => settings.get(path) ?? structuredClone(initial);
    routes.push({ method: 'GET', path, answer: (_query, _body, settings) => ({ status: 200, body: current(settings) }) });
    for (const method of writes) {
      routes.push({
        method,
        path,
        answer: (_query, body, settings) => {
          const now = current(settings);
          const next = method === 'PUT' || !isPlainObject(now) ? structuredClone(body ?? now) : mergeSettings(now, body);
          settings.set(path, next);
          return { status: 200, body: next };
        },
      });
    }
  }
  return routes;
}
