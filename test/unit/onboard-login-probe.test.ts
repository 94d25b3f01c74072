// check-login --probe without a network: the /authorize and /v2/logout requests it builds, and how it reads answers.
import { describe, expect, it } from 'vitest';
import { judgeProbe, PROBE_STATE, probeRequests } from '../../src/onboard/login-probe.js';

const [callback, logout] = probeRequests('tenant.example.auth0.com', 'CLIENT', [
  { kind: 'callback', url: 'https://app.example.com/cb' },
  { kind: 'logout', url: 'https://app.example.com/' },
]);

describe('check-login --probe: requests and verdicts', () => {
  it('builds the /authorize and /v2/logout requests a partner app sends', () => {
    expect(callback!.url.origin + callback!.url.pathname).toBe('https://tenant.example.auth0.com/authorize');
    expect(Object.fromEntries(callback!.url.searchParams)).toEqual({
      client_id: 'CLIENT', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid', state: PROBE_STATE,
    });
    expect(Object.fromEntries(logout!.url.searchParams)).toEqual({ client_id: 'CLIENT', returnTo: 'https://app.example.com/' });
  });

  it('a redirect on to the login page accepts the callback', () => {
    const verdict = judgeProbe(callback!, { status: 302, location: '/u/login?state=abc', body: '' });
    expect(verdict).toEqual({ accepted: true, line: expect.stringContaining('it leads to the login page https://tenant.example.auth0.com/u/login') });
  });

  it('a redirect back to the callback with an error still accepts it, and says what the tenant answered', () => {
    const verdict = judgeProbe(callback!, { status: 302, location: 'https://app.example.com/cb?error=invalid_request&error_description=the%20connection%20is%20not%20enabled', body: '' });
    expect(verdict.accepted).toBe(true);
    expect(verdict.line).toContain('the tenant then answered: the connection is not enabled');
  });

  it("Auth0's mismatch page, in either wording, refuses it with the tenant's sentence", () => {
    const current = judgeProbe(callback!, { status: 400, body: '<h1>Callback URL mismatch.</h1><p>The provided redirect_uri is not in the list of allowed callback URLs.</p><p>Please go to the Application Settings page</p>' });
    expect(current).toEqual({ accepted: false, line: expect.stringContaining('(HTTP 400): Callback URL mismatch. The provided redirect_uri is not in the list of allowed callback URLs.') });
    const older = judgeProbe(callback!, { status: 403, body: 'Callback URL mismatch. https://app.example.com/cb is not in the list of allowed callback URLs.' });
    expect(older.line).toContain('Callback URL mismatch. https://app.example.com/cb is not in the list of allowed callback URLs.');
  });

  it('an error redirect within the tenant refuses it', () => {
    const verdict = judgeProbe(callback!, { status: 302, location: '/error?error=unauthorized_client&error_description=Callback%20URL%20mismatch', body: '' });
    expect(verdict).toEqual({ accepted: false, line: expect.stringContaining(': Callback URL mismatch') });
  });

  it('logout: a redirect to the returnTo accepts it, the error page refuses it', () => {
    expect(judgeProbe(logout!, { status: 302, location: 'https://app.example.com/', body: '' }).accepted).toBe(true);
    const refused = judgeProbe(logout!, { status: 400, body: 'invalid_request: The &quot;returnTo&quot; querystring parameter &quot;https://app.example.com/&quot; is not defined as a valid URL in &quot;Allowed Logout URLs&quot;. To add a new URL' });
    expect(refused.line).toContain('The "returnTo" querystring parameter "https://app.example.com/" is not defined as a valid URL in "Allowed Logout URLs".');
  });
});
