// `check-login --probe`: builds the /authorize and /v2/logout requests a partner's app would send for each URL,
// and reads the tenant's answers as accepted or refused, quoting the tenant's own message. Pure: the requests
// are sent by remote/login-probe.ts.
//
// How Auth0 answers (Authentication API reference "Authorize Application" and "Logout"; support article
// "Callback URL Mismatch Error"): a redirect_uri it accepts leads on, by redirect, to the login page (or, when a
// later check fails, back to the redirect_uri with `error`); one it does not accept gets an error page reading
// "Callback URL mismatch. … is not in the list of allowed callback URLs" and is never redirected to. A returnTo
// in Allowed Logout URLs is redirected to; any other gets an error page: The "returnTo" querystring parameter "…"
// is not defined as a valid URL in "Allowed Logout URLs".
import type { ProbeAnswer } from '../remote/login-probe.js';
import { LOGIN_URL_LABELS } from './login-match.js';

export type ProbeKind = 'callback' | 'logout';

export interface ProbeRequest {
  kind: ProbeKind;
  /** The URL being checked: a redirect_uri or a returnTo. */
  checked: string;
  /** The request to send. */
  url: URL;
}

export interface ProbeVerdict {
  accepted: boolean;
  line: string;
}

/** A state value that says where the probe came from, should it show up in the tenant's logs. */
export const PROBE_STATE = 'tenantctl-check-login-probe';

export function probeRequests(domain: string, clientId: string, checks: Array<{ kind: ProbeKind; url: string }>): ProbeRequest[] {
  return checks.map(({ kind, url }) => {
    const target = new URL(kind === 'callback' ? `https://${domain}/authorize` : `https://${domain}/v2/logout`);
    const params: Record<string, string> =
      kind === 'callback'
        ? { client_id: clientId, redirect_uri: url, response_type: 'code', scope: 'openid', state: PROBE_STATE }
        : { client_id: clientId, returnTo: url };
    target.search = new URLSearchParams(params).toString();
    return { kind, checked: url, url: target };
  });
}

const decodeEntities = (text: string): string =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The tenant's message in an error page or an error redirect, in one line. */
function messageOf(answer: ProbeAnswer): string {
  if (answer.location) {
    try {
      const description = new URL(answer.location, 'https://tenant.invalid/').searchParams.get('error_description');
      if (description) return description;
    } catch {
      // not a URL: fall through to the body
    }
  }
  const text = decodeEntities(answer.body.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  // Auth0's pages have said "URL is not in the list…" and, lately, "The provided redirect_uri is not in the list…".
  const mismatch = /(?:\S+|The provided redirect_uri) is not in the list of allowed callback URLs\.?/.exec(text);
  if (mismatch) return `Callback URL mismatch. ${mismatch[0]}`;
  const logout = /The "returnTo" querystring parameter .*? is not defined as a valid URL in "Allowed Logout URLs"\./.exec(text);
  if (logout) return logout[0];
  return text.slice(0, 200) || `HTTP ${answer.status}`;
}

function sameTarget(location: string, checked: string): boolean {
  try {
    const a = new URL(location);
    const b = new URL(checked);
    return a.origin === b.origin && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/** Reads one answer: a redirect that leads on is acceptance, an error page or an error redirect to the tenant is refusal. */
export function judgeProbe(request: ProbeRequest, answer: ProbeAnswer): ProbeVerdict {
  const label = `${LOGIN_URL_LABELS[request.kind]} ${request.checked}`;
  const endpoint = `${request.url.origin}${request.url.pathname}`;
  const redirected = answer.status >= 300 && answer.status < 400 && answer.location !== undefined;
  if (request.kind === 'logout') {
    if (redirected && sameTarget(answer.location!, request.checked)) return { accepted: true, line: `✓ ${label} accepted by ${endpoint} (redirected to it)` };
    return { accepted: false, line: `✗ ${label} refused by ${endpoint} (HTTP ${answer.status}): ${messageOf(answer)}` };
  }
  if (redirected && sameTarget(answer.location!, request.checked)) {
    // The tenant redirected to the URL, so it accepts it; an error there is about something else (say, connections).
    const error = new URL(answer.location!).searchParams.get('error_description');
    return { accepted: true, line: `✓ ${label} accepted by ${endpoint}${error ? `; the tenant then answered: ${error}` : ' (redirected back to it)'}` };
  }
  if (redirected) {
    const location = new URL(answer.location!, request.url);
    const error = location.searchParams.get('error') ?? location.searchParams.get('error_description');
    if (!error) return { accepted: true, line: `✓ ${label} accepted by ${endpoint} (it leads to the login page ${location.origin}${location.pathname})` };
  }
  return { accepted: false, line: `✗ ${label} refused by ${endpoint} (HTTP ${answer.status}): ${messageOf(answer)}` };
}
