// `credentials` behind the CLI: finds the environment and the live application, and renders what the
// partner needs. The client secret only ever travels from the tenant to the chosen destination.
import { writeFileSync } from 'node:fs';
import { chooseEnvironment, readTenantSettings } from '../config/environment.js';
import { isDirectory } from '../config/index.js';
import { readTenantSource } from '../config/source.js';
import { SettingsError, UsageError } from '../errors.js';
import { normalizeDomain } from '../remote/credentials.js';
import type { RemoteTenant } from '../remote/tenant.js';
import { closestMatch } from '../did-you-mean.js';
import { formatNeedsSecret, renderCredentials, type CredentialsFormat } from './credentials-format.js';
import { writeSecretFile } from './secret-file.js';

export interface TargetEnvironment {
  name: string;
  domain: string;
}

/**
 * The environment a command talks to: from tenant.yaml when the directory exists, else (no --env)
 * the domain in AUTH0_DOMAIN, so a partner handover works outside the config repository too.
 */
export function targetEnvironment(dir: string, requested: string | undefined, env: Record<string, string | undefined>): TargetEnvironment {
  if (!isDirectory(dir)) {
    if (requested !== undefined) throw new UsageError(`tenant directory "${dir}" does not exist, so environment "${requested}" cannot be looked up`, 'pass the folder holding tenant.yaml with --dir');
    const domain = normalizeDomain(env.AUTH0_DOMAIN ?? '');
    if (!domain) throw new SettingsError('missing environment variable AUTH0_DOMAIN', 1, `set it, or run from the repository holding ${dir}/tenant.yaml`);
    return { name: domain, domain };
  }
  const settings = readTenantSettings(readTenantSource(dir));
  const chosen = chooseEnvironment(settings, requested);
  if (!chosen.name) {
    throw new UsageError(chosen.diagnostic?.message ?? `no environment is declared in ${dir}/tenant.yaml`, chosen.diagnostic?.hint);
  }
  const environment = settings.environments.get(chosen.name)!;
  return { name: environment.name, domain: environment.domain };
}

export interface LiveApplication {
  name: string;
  clientId: string;
  appType?: string;
  clientSecret?: string;
}

/** Reads the application, with its secret only when the format carries one (needs read:client_keys). */
export async function readLiveApplication(remote: RemoteTenant, name: string, withSecret: boolean): Promise<LiveApplication> {
  const raw = withSecret ? await remote.readClientWithSecret(name) : await remote.findClientByName(name);
  if (!raw) {
    const snapshot = await remote.readSnapshot();
    const names = snapshot.clients
      .filter((client) => client.global !== true && client.client_id !== snapshot.ownClientId)
      .map((client) => String(client.name));
    const suggestion = closestMatch(name, names);
    throw new UsageError(
      `no application named "${name}" in the tenant ${remote.credentials.domain}`,
      suggestion ? `did you mean "${suggestion}"?` : names.length > 0 ? `applications: ${names.sort().join(', ')}` : 'the tenant has no applications yet; has the config been applied?',
    );
  }
  const secret = typeof raw.client_secret === 'string' ? raw.client_secret : undefined;
  if (withSecret && !secret) {
    throw new SettingsError(`Auth0 returned application "${name}" without its client secret`, 1, "grant read:client_keys to tenantctl's machine-to-machine application");
  }
  return {
    name,
    clientId: String(raw.client_id),
    ...(typeof raw.app_type === 'string' ? { appType: raw.app_type } : {}),
    ...(secret !== undefined ? { clientSecret: secret } : {}),
  };
}

/** Warnings about handing this application's settings over in this format (never containing the secret). */
export function formatWarnings(app: LiveApplication, format: CredentialsFormat): string[] {
  const publicClient = app.appType === 'spa' || app.appType === 'native';
  if (publicClient && formatNeedsSecret(format)) {
    return [`"${app.name}" is a ${app.appType} application: it runs on the user's device and must not hold a client secret; use --format spa for the domain and client id only`];
  }
  if (!publicClient && format === 'spa' && app.appType) {
    return [`"${app.name}" is a ${app.appType} application, not a spa; the snippet is for @auth0/auth0-spa-js`];
  }
  return [];
}

export type Destination = { kind: 'stdout' } | { kind: 'file'; path: string; force: boolean };

/** Where the output goes; refuses to print a secret unless `--out -` asked for it. */
export function chooseDestination(out: string | undefined, format: CredentialsFormat, force: boolean): Destination {
  if (out === '-') return { kind: 'stdout' };
  if (out === undefined) {
    if (!formatNeedsSecret(format)) return { kind: 'stdout' };
    throw new UsageError(
      `the ${format} output contains the client secret, so say where it goes`,
      '--out FILE writes a file only you can read (e.g. --out .env, ignored by git), --out - prints it to stdout',
    );
  }
  if (out.trim() === '') throw new UsageError('--out needs a file path, or - for stdout');
  return { kind: 'file', path: out, force };
}

/** Renders and delivers; returns the text to print on stdout (the content itself only for stdout). */
export function deliverCredentials(
  destination: Destination,
  format: CredentialsFormat,
  values: { domain: string; clientId: string; clientSecret?: string },
  appName: string,
): string {
  const content = renderCredentials(format, formatNeedsSecret(format) ? values : { domain: values.domain, clientId: values.clientId });
  if (destination.kind === 'stdout') return content;
  if (formatNeedsSecret(format)) {
    writeSecretFile(destination.path, content, { force: destination.force });
    const keys = format === 'dotenv' ? 'AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET' : 'domain, client_id and client_secret';
    return `Wrote ${destination.path} (mode 0600) with ${keys} of application "${appName}".\nHand it over through a secret channel (not chat or e-mail), then delete your copy.\n`;
  }
  try {
    writeFileSync(destination.path, content, { flag: destination.force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${destination.path} already exists; it was left untouched`, 'pass --force to replace it');
    throw new UsageError(`cannot write ${destination.path}: ${code ?? String(error)}`);
  }
  return `Wrote ${destination.path} with the domain and client id of application "${appName}" (no secret).\n`;
}
