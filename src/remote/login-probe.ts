// Sends the requests a partner's app sends at login and logout — GET /authorize and GET /v2/logout — to a tenant
// (Auth0 or the emulator) and returns its raw answers, without following redirects. It needs no credentials,
// submits no login form and so logs nobody in. Judging the answers is onboard/login-probe.ts's job.
import { TenantctlError } from '../errors.js';

export interface ProbeAnswer {
  status: number;
  location?: string;
  /** The start of the answer's body (an error page's text). */
  body: string;
}

const timeoutMs = 15_000;
/** Enough of an HTML error page to find Auth0's message in it. */
const bodyLimit = 64 * 1024;

export async function sendProbe(url: URL): Promise<ProbeAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/html' } });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new TenantctlError(`could not reach ${url.origin}${url.pathname}: ${cause}`, 1, 'check the environment\'s domain and your network');
  }
  const body = (await response.text()).slice(0, bodyLimit);
  return { status: response.status, location: response.headers.get('location') ?? undefined, body };
}
