// The tenant's token signing key: an RS256 key pair made when the process first needs it and kept only in memory,
// so it never reaches the --state file, a log or the repository. Signing and verifying go through `jose`.
// Auth0 publishes its signing keys at /.well-known/jwks.json and signs ID and access tokens with RS256 by default
// (Auth0 docs, "JSON Web Key Sets" and "Signing Algorithms").
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

let processKey: Promise<SigningKey> | undefined;

/**
 * The key of this process, made on first use and shared by every emulator the process starts: an RSA key takes
 * a few hundred milliseconds to make, and test suites start hundreds of emulators.
 */
export function processSigningKey(): Promise<SigningKey> {
  processKey ??= SigningKey.generate();
  return processKey;
}

export class SigningKey {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async generate(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const jwk = await exportJWK(publicKey);
    const kid = randomBytes(16).toString('base64url');
    return new SigningKey(privateKey, publicKey, { ...jwk, kid, alg: 'RS256', use: 'sig' });
  }

  get kid(): string {
    return String(this.publicJwk.kid);
  }

  /** The public half only, as /.well-known/jwks.json serves it. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  /** Signs claims as a JWT with `typ: JWT` and this key's `kid`, as Auth0's tokens carry them. */
  sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid }).sign(this.privateKey);
  }

  /** The claims of a token this key signed for `issuer`, or undefined when it is not one (bad signature, expired). */
  async verify(token: string, issuer: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer, algorithms: ['RS256'] });
      return payload;
    } catch {
      return undefined;
    }
  }
}
