// Server-generated identifiers and secrets in the formats Auth0 uses.
// Random from node:crypto, so ids never collide across restarts that share a state file.
import { randomBytes, randomInt } from 'node:crypto';

const alphanumerics = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const secretAlphabet = `${alphanumerics}-_`;

function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const newClientId = (): string => randomString(32, alphanumerics);
/** Strict third-party applications (and CIMD-registered ones) have `tpc_` ids in recorded traffic. */
export const newThirdPartyClientId = (): string => `tpc_${randomString(22, alphanumerics)}`;
export const newClientSecret = (): string => randomString(64, secretAlphabet);
export const newConnectionId = (): string => `con_${randomString(16, alphanumerics)}`;
export const newResourceServerId = (): string => randomBytes(12).toString('hex');
export const newClientGrantId = (): string => `cgr_${randomString(16, alphanumerics)}`;
/** `org_` and 16 characters, as in go-auth0's recorded organizations (shared/fidelity, TestClientGrantManager_Organizations). */
export const newOrganizationId = (): string => `org_${randomString(16, alphanumerics)}`;
export const newCredentialId = (): string => `cred_${randomString(22, alphanumerics)}`;

/** A stand-in for a PEM block: the emulator never signs anything, so it need not be a real certificate. */
export function placeholderPem(label: string): string {
  return `-----BEGIN ${label}-----\n${randomBytes(48).toString('base64')}\n-----END ${label}-----\n`;
}
