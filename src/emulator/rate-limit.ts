// Token-bucket rate limiting per tenant with the burst and refill of Auth0's plan profiles.
// Every answer carries x-ratelimit-* headers; an empty bucket answers 429 in Auth0's shape.

export type RateLimitProfile = 'off' | 'free' | 'essentials' | 'enterprise';

interface BucketSpec {
  burst: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

const profiles: Record<Exclude<RateLimitProfile, 'off'>, BucketSpec> = {
  free: { burst: 2, refillPerSecond: 2 },
  essentials: { burst: 10, refillPerSecond: 150 / 60 },
  enterprise: { burst: 50, refillPerSecond: 16 },
};

export const rateLimitProfiles: readonly RateLimitProfile[] = ['off', 'free', 'essentials', 'enterprise'];

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private readonly spec: BucketSpec | undefined;

  constructor(
    profile: RateLimitProfile,
    private readonly now: () => number = Date.now,
  ) {
    this.spec = profile === 'off' ? undefined : profiles[profile];
    this.tokens = this.spec?.burst ?? 0;
    this.updatedAt = now();
  }

  /** Takes one token if there is one; headers describe the bucket after the decision. */
  take(): RateDecision {
    const spec = this.spec;
    const nowMs = this.now();
    if (!spec) {
      // With limits off the headers still appear, so clients that read them keep working.
      return { allowed: true, headers: { 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '1000', 'x-ratelimit-reset': String(Math.ceil(nowMs / 1000)) } };
    }
    this.tokens = Math.min(spec.burst, this.tokens + ((nowMs - this.updatedAt) / 1000) * spec.refillPerSecond);
    this.updatedAt = nowMs;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const missing = Math.max(0, 1 - this.tokens);
    const resetMs = nowMs + (missing / spec.refillPerSecond) * 1000;
    return {
      allowed,
      headers: {
        'x-ratelimit-limit': String(spec.burst),
        'x-ratelimit-remaining': String(Math.floor(this.tokens)),
        'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      },
    };
  }
}

export const tooManyRequestsBody = {
  statusCode: 429,
  error: 'Too Many Requests',
  message: 'Global limit has been reached',
  errorCode: 'too_many_requests',
};
