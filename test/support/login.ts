// Test helper: a tenant on the emulator ready for logins — an application of a given type, the database
// connection enabled for it, and a user with a known password — plus raw calls to the Authentication API.
import type { RunningEmulator } from '../../src/emulator/index.js';

export const USER = { email: 'driver@partner.example.com', password: 'Correct-Horse-Battery-9' };

export interface LoginApp {
  clientId: string;
  clientSecret: string;
  callback: string;
}

/** Seeds an application, enables Username-Password-Authentication for it and creates USER there (once). */
export function seedLoginApp(emulator: RunningEmulator, body: Record<string, unknown>): LoginApp {
  const [client] = emulator.seed('clients', [body]);
  const clientId = String(client!.client_id);
  const database = emulator.store.connectionByName('Username-Password-Authentication')!;
  emulator.store.setEnabledClients(String(database.id), [{ client_id: clientId, status: true }]);
  if (!emulator.store.users.findByEmail('Username-Password-Authentication', USER.email)) {
    emulator.store.createUser({ connection: 'Username-Password-Authentication', email: USER.email, password: USER.password, email_verified: true });
  }
  const callbacks = Array.isArray(body.callbacks) ? (body.callbacks as string[]) : [];
  return { clientId, clientSecret: String(client!.client_secret ?? ''), callback: callbacks[0] ?? '' };
}

/** A token request as a form post; returns the status and the JSON answer. */
export async function tokenRequest(emulator: RunningEmulator, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`https://${emulator.domain}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** GET without following redirects: the status, the Location header and the body text. */
export async function getManual(url: string | URL, headers: Record<string, string> = {}): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(url, { redirect: 'manual', headers });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}
