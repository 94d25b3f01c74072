// Users of database connections (strategy `auth0`): created, listed, read and deleted through the Management API
// (POST/GET/DELETE /api/v2/users) and checked by the login page. Passwords are kept only as scrypt hashes
// (node:crypto) and never leave this module: every answer goes through renderUser().
// Shapes follow Auth0's Management API reference ("Create a user", "Get a user"): user_id `auth0|<id>`,
// `identities[{connection, user_id, provider: "auth0", isSocial: false}]`, name/nickname defaulting from the email.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { Collection, type Json } from '../collection.js';
import { conflict, HttpError, invalidBody } from '../errors.js';
import { isPlainObject, rejectUnknownKeys, requireObject, requireString } from '../resources/validate.js';

const createKeys = new Set([
  'connection', 'email', 'password', 'username', 'email_verified', 'verify_email', 'name', 'given_name',
  'family_name', 'nickname', 'picture', 'user_metadata', 'app_metadata', 'blocked', 'user_id', 'phone_number', 'phone_verified',
]);

// scrypt parameters: Node's defaults (N=16384, r=8, p=1), 64-byte key, 16-byte salt.
const keyLength = 64;

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, keyLength).toString('base64')}`;
}

function passwordMatches(password: string, stored: unknown): boolean {
  if (typeof stored !== 'string') return false;
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** A user as the Management API answers it: never the password or its hash. */
export function renderUser(record: Json): Json {
  const { password_hash: _hash, ...user } = record;
  return structuredClone(user);
}

export class UserDirectory {
  readonly records = new Collection<Json>((user) => String(user.user_id));

  /** Creates a user in a database connection; `connection` must be the name of one (`strategy: auth0`). */
  create(body: unknown, connection: Json | undefined): Json {
    const input = requireObject(body);
    rejectUnknownKeys(input, createKeys);
    const connectionName = requireString(input, 'connection');
    if (!connection) throw new HttpError(400, 'The connection does not exist.', 'inexistent_connection');
    if (connection.strategy !== 'auth0') {
      throw new HttpError(400, `Cannot create users in connection ${connectionName}: it is not a database connection`, 'operation_not_supported');
    }
    const email = requireString(input, 'email').toLowerCase();
    const password = requireString(input, 'password');
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw invalidBody('Object didn\'t pass validation for format email: ' + email, 'email');
    if (this.findByEmail(connectionName, email)) throw conflict('The user already exists.', 'auth0_idp_error');
    for (const key of ['user_metadata', 'app_metadata'] as const) {
      if (input[key] !== undefined && !isPlainObject(input[key])) throw invalidBody('Expected type object', key);
    }
    const id = typeof input.user_id === 'string' && input.user_id ? input.user_id : randomBytes(12).toString('hex');
    const now = new Date().toISOString();
    const record: Json = {
      created_at: now,
      email,
      email_verified: input.email_verified === true,
      identities: [{ connection: connectionName, user_id: id, provider: 'auth0', isSocial: false }],
      name: typeof input.name === 'string' ? input.name : email,
      nickname: typeof input.nickname === 'string' ? input.nickname : email.split('@')[0],
      picture: typeof input.picture === 'string' ? input.picture : `https://s.gravatar.com/avatar/${id}?s=480&r=pg&d=mp`,
      updated_at: now,
      user_id: `auth0|${id}`,
    };
    for (const key of ['given_name', 'family_name', 'username'] as const) if (typeof input[key] === 'string') record[key] = input[key];
    for (const key of ['user_metadata', 'app_metadata'] as const) if (input[key] !== undefined) record[key] = structuredClone(input[key]);
    if (input.blocked === true) record.blocked = true;
    if (this.records.has(String(record.user_id))) throw conflict('The user already exists.', 'auth0_idp_error');
    record.password_hash = hashPassword(password);
    this.records.put(record);
    return record;
  }

  get(userId: string): Json | undefined {
    return this.records.get(userId);
  }

  delete(userId: string): boolean {
    return this.records.delete(userId);
  }

  /** Removes every user of a connection (Auth0 deletes a database connection's users with it). */
  deleteConnectionUsers(connectionName: string): void {
    for (const user of [...this.records.all()]) if (connectionOf(user) === connectionName) this.records.delete(String(user.user_id));
  }

  findByEmail(connectionName: string, email: string): Json | undefined {
    const wanted = email.toLowerCase();
    return this.records.all().find((user) => connectionOf(user) === connectionName && user.email === wanted);
  }

  /** The user whose email and password match in one of `connectionNames`, or undefined. Blocked users never match. */
  authenticate(connectionNames: readonly string[], email: string, password: string): Json | undefined {
    for (const name of connectionNames) {
      const user = this.findByEmail(name, email);
      if (user && user.blocked !== true && passwordMatches(password, user.password_hash)) return user;
    }
    return undefined;
  }
}

export function connectionOf(user: Json): string | undefined {
  const identities = user.identities;
  if (!Array.isArray(identities) || !isPlainObject(identities[0])) return undefined;
  return typeof identities[0].connection === 'string' ? identities[0].connection : undefined;
}
