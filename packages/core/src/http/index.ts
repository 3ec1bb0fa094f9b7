/** Core's upstream HTTP client and its parts that servers and other stages use. */
export { createHttpClient, type HttpClient, type HttpClientDeps, type HttpClientOptions } from './client.ts';
export { fingerprint } from './fingerprint.ts';
export { isLoopbackUrl } from './loopback.ts';
export { sleep } from './sleep.ts';
export {
  defaultIsRateLimited,
  defaultParseRateLimit,
  MemoryThrottleStore,
  parseRetryAfter,
  type RateLimitState,
  type ThrottleStore,
} from './throttle.ts';
