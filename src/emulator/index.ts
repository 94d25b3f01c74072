// Public entry of the Auth0 Management API emulator, for the CLI, tests, the demo and benchmarks.
// Everything else in src/emulator/ is internal and may change shape.
export { startEmulator, type AnsweredRequest, type EmulatorOptions, type RunningEmulator } from './server.js';
export type { RequestLogEntry } from './request-log.js';
export type { RateLimitProfile } from './rate-limit.js';
export { rateLimitProfiles } from './rate-limit.js';
export type { SeedKind, TenantSnapshot, TenantStore } from './store.js';
export { saveStateAtomically } from './state-file.js';
export { knownScopes } from './scopes.js';
export { seededRandom } from './seeded-random.js';
export { generateTlsMaterial, type TlsMaterial } from './tls.js';
