// The planner's public surface: compute a Plan, its types, and the secret placeholders apply resolves.
// Everything here is pure; callers bring the desired objects and the live snapshot.
export { computePlan, plan } from './plan.js';
export { resolveSensitiveValues, isSensitivePlaceholder } from './payload.js';
export * from './types.js';
