// Client credentials (`/clients/{id}/credentials`): the key material an application authenticates with
// (private_key_jwt, tls_client_auth, signed request objects), what Auth0 derives from it, and how it is shown.
import { createHash, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import type { Json } from '../collection.js';
import { HttpError, invalidBody } from '../errors.js';
import { newCredentialId } from '../ids.js';
import { clone, isPlainObject, rejectUnknownKeys, requireObject, requireString } from './validate.js';

/** Request fields of POST /clients/{id}/credentials (node-auth0 PostClientCredentialRequestContent). */
const createFields = new Set(['credential_type', 'name', 'subject_dn', 'pem', 'alg', 'parse_expiry_from_cert', 'expires_at', 'kid']);
const credentialTypes = new Set(['public_key', 'cert_subject_dn', 'x509_cert']);

/**
 * 404 for a credential id the client does not have. The message is the one Auth0 users quote
 * ("404 Not Found: The credential does not exist"); no recording shows an errorCode for it.
 */
export const credentialNotFound = (): HttpError => new HttpError(404, 'The credential does not exist');

/**
 * Builds a credential as Auth0 answers it (recorded, Go-Auth0 1.x and terraform 2023-2026: 25 creates):
 * - `public_key`: `id, credential_type, kid, alg, name, created_at, updated_at`, plus `expires_at` when it was sent
 *   or read from the certificate (`parse_expiry_from_cert: true`); `alg` defaults to RS256 and `kid` to the key's
 *   RFC 7638 thumbprint (the recorded kid is identical for every credential made from the same key);
 * - `cert_subject_dn`: `id, credential_type, name, subject_dn, created_at, updated_at`, the subject read from the
 *   certificate when a PEM was sent (recorded: `C=JP\nST=Tokyo\n...`, Node's X509Certificate.subject format);
 * - `x509_cert` (no recording; node-auth0 types): the certificate's `thumbprint_sha256`, subject and expiry.
 * The PEM itself is never answered.
 */
export function newCredential(input: unknown): Json {
  const sent = requireObject(input);
  rejectUnknownKeys(sent, createFields);
  const type = requireString(sent, 'credential_type');
  if (!credentialTypes.has(type)) throw invalidBody(`No enum match for: "${type}"`, 'credential_type');
  const now = new Date().toISOString();
  const certificate = certificateOf(sent.pem);
  const credential: Json = { id: newCredentialId(), credential_type: type };
  if (type === 'public_key') {
    if (typeof sent.pem !== 'string') throw invalidBody('Missing required property: pem');
    credential.kid = typeof sent.kid === 'string' ? sent.kid : keyIdOf(certificate?.publicKey ?? sent.pem);
    credential.alg = sent.alg ?? 'RS256';
  }
  credential.name = sent.name ?? '';
  if (type === 'cert_subject_dn') {
    const subject = typeof sent.subject_dn === 'string' ? sent.subject_dn : certificate?.subject;
    if (subject === undefined) throw invalidBody('Either pem or subject_dn is required', 'subject_dn');
    credential.subject_dn = subject;
  }
  if (type === 'x509_cert') {
    if (!certificate) throw invalidBody('pem must be an X509 certificate', 'pem');
    credential.subject_dn = certificate.subject;
    credential.thumbprint_sha256 = createHash('sha256').update(certificate.raw).digest('base64url');
  }
  credential.created_at = now;
  credential.updated_at = now;
  const expiry = typeof sent.expires_at === 'string' ? sent.expires_at : sent.parse_expiry_from_cert === true || type === 'x509_cert' ? certificate?.validTo : undefined;
  if (expiry !== undefined) credential.expires_at = new Date(expiry).toISOString();
  return credential;
}

/** PATCH /clients/{id}/credentials/{credential_id}: only `expires_at` can change (recorded: one PATCH, 200 with the whole credential). */
export function updateCredential(credential: Json, input: unknown): Json {
  const body = requireObject(input);
  rejectUnknownKeys(body, new Set(['expires_at']));
  const next = clone(credential);
  if (body.expires_at === null) delete next.expires_at;
  else if (typeof body.expires_at === 'string') next.expires_at = new Date(body.expires_at).toISOString();
  next.updated_at = new Date().toISOString();
  return next;
}

function certificateOf(pem: unknown): X509Certificate | undefined {
  if (typeof pem !== 'string' || !pem.includes('CERTIFICATE')) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

/** The RFC 7638 thumbprint used as `kid`; a random one when the PEM is not a readable public key. */
function keyIdOf(key: unknown): string {
  try {
    const publicKey = typeof key === 'string' ? createPublicKey(key) : createPublicKey(key as Parameters<typeof createPublicKey>[0]);
    const jwk = publicKey.export({ format: 'jwk' });
    const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
    return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
  } catch {
    return randomBytes(32).toString('base64url');
  }
}

/** The places of a client that hold `credentials: [{id}]` references. */
export function credentialHolders(client: Json): Json[] {
  const holders: Json[] = [];
  if (isPlainObject(client.client_authentication_methods)) {
    for (const method of Object.values(client.client_authentication_methods)) if (isPlainObject(method)) holders.push(method);
  }
  for (const key of ['signed_request_object', 'token_vault_privileged_access']) {
    const holder = client[key];
    if (isPlainObject(holder)) holders.push(holder);
  }
  return holders.filter((holder) => Array.isArray(holder.credentials));
}

/** Ids of the credentials a client uses for authentication, signed requests or token vault access. */
export function credentialIdsInUse(client: Json): Set<string> {
  const ids = new Set<string>();
  for (const holder of credentialHolders(client)) {
    for (const item of holder.credentials as unknown[]) if (isPlainObject(item) && typeof item.id === 'string') ids.add(item.id);
  }
  return ids;
}
