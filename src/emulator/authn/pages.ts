// The HTML pages of the emulated Authentication API: the login form and the error page.
// The form has what Auth0's Universal Login form has for a database connection (inputs `username` and `password`
// and a hidden `state`, posted back to /u/login?state=…), so browser tests and scripts drive it the same way.

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>\n${body}\n</body></html>\n`;
}

export function loginPage(options: { state: string; appName: string; connections: string[]; error?: string; username?: string }): string {
  const state = escapeHtml(options.state);
  const error = options.error ? `<p id="error-element-password" class="error" role="alert">${escapeHtml(options.error)}</p>\n` : '';
  return page(
    `Log in | ${options.appName}`,
    `<main><h1>Welcome</h1><p>Log in to ${escapeHtml(options.appName)} to continue.</p>\n${error}` +
      `<form method="POST" action="/u/login?state=${encodeURIComponent(options.state)}">\n` +
      `<input type="hidden" name="state" value="${state}">\n` +
      `<label for="username">Email address</label>\n` +
      `<input type="text" id="username" name="username" autocomplete="username" required value="${escapeHtml(options.username ?? '')}">\n` +
      `<label for="password">Password</label>\n` +
      `<input type="password" id="password" name="password" autocomplete="current-password" required>\n` +
      `<button type="submit" name="action" value="default">Continue</button>\n</form>\n` +
      `<p class="connections">${options.connections.map(escapeHtml).join(', ')}</p></main>`,
  );
}

/** Auth0's error page: a heading, the short reason, and `error: description` (as its hosted error page shows). */
export function errorPage(heading: string, error: string, description: string): string {
  return page(
    'Error',
    `<main><h1>Oops!, something went wrong</h1>\n<h2 id="error-title">${escapeHtml(heading)}</h2>\n` +
      `<p id="error-description">${escapeHtml(error)}: ${escapeHtml(description)}</p></main>`,
  );
}

/** response_mode=form_post: a page that posts code and state to the callback (OAuth 2.0 Form Post Response Mode). */
export function formPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return page(
    'Submit This Form',
    `<form method="post" action="${escapeHtml(action)}">\n${inputs}\n<noscript><button type="submit">Continue</button></noscript></form>\n` +
      `<script>document.forms[0].submit()</script>`,
  );
}

/**
 * response_mode=web_message (used by auth0-spa-js for silent authentication in a hidden iframe): a page that posts
 * `{type: "authorization_response", response}` to its parent, restricted to the redirect_uri's origin.
 */
export function webMessagePage(targetOrigin: string, response: Record<string, string>): string {
  const message = JSON.stringify({ type: 'authorization_response', response }).replace(/</g, '\\u003c');
  return page('Authorization Response', `<script>window.parent.postMessage(${message}, ${JSON.stringify(targetOrigin).replace(/</g, '\\u003c')});</script>`);
}
