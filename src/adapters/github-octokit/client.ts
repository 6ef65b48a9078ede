// The Octokit client Steward uses: retries (5xx), throttling (rate limits), a redacting log, and
// every library error turned into an ApiError at this edge, with the token never in its text.
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { ApiError } from '../../errors.js';
import type { Logger } from '../../ports/logger.js';
import type { Redactor } from '../../redact.js';

const StewardOctokit = Octokit.plugin(retry, throttling);
export type StewardOctokit = InstanceType<typeof StewardOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** `https://api.github.com` by default; GHES (`https://host/api/v3`) or a test double. */
  baseUrl?: string;
  redactor: Redactor;
  logger: Logger;
  /** Retries after a 5xx, a 429 or a rate limit (default 3). */
  retries?: number;
  /** Milliseconds per second of GitHub's advertised waits (default 1000; tests pass 1). */
  waitUnitMs?: number;
  /**
   * `github` (default) keeps the throttling plugin's pacing (one write a second, three seconds
   * between notifying writes), which GitHub recommends against secondary rate limits. `none`
   * sends at once: for tests against the local double only.
   */
  pacing?: 'github' | 'none';
  userAgent?: string;
}

/** A Bottleneck-shaped group that schedules immediately (pacing `none`). */
const immediateGroup = {
  key: () => ({
    schedule: (_options: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve().then(() => fn(...args)),
  }),
};

export function createOctokitClient(options: GitHubClientOptions): StewardOctokit {
  options.redactor.add(options.token);
  const retries = options.retries ?? 3;
  const waitUnitMs = options.waitUnitMs ?? 1000;
  const { logger, redactor } = options;
  const limitHandler = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    logger.warn(redactor.redact(`GitHub ${kind} on ${request.method} ${request.url}: waiting ${retryAfter} s (retry ${retryCount + 1} of ${retries})`));
    return retryCount < retries;
  };
  const immediate = options.pacing === 'none' ? { global: immediateGroup, write: immediateGroup, notifications: immediateGroup, search: immediateGroup, auth: immediateGroup } : {};
  return new StewardOctokit({
    auth: options.token,
    baseUrl: options.baseUrl?.replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'steward',
    // Only the message is logged: Octokit passes the request options (headers included) as a
    // second argument. Failed requests are logged at debug level: expected ones (a 404 for a
    // missing branch, a 403 that triggers the status fallback) are not errors, and real failures
    // reach the caller as ApiError.
    log: {
      debug: (message: string) => logger.debug(redactor.redact(message)),
      info: (message: string) => logger.debug(redactor.redact(message)),
      warn: (message: string) => logger.warn(redactor.redact(message)),
      error: (message: string) => logger.debug(redactor.redact(message)),
    },
    retry: { retries, retryAfterBaseValue: waitUnitMs },
    throttle: {
      // The groups are Bottleneck objects in the plugin's types; the immediate ones only need `key().schedule()`.
      ...(immediate as object),
      retryAfterBaseValue: waitUnitMs,
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: limitHandler('rate limit'),
      onSecondaryRateLimit: limitHandler('secondary rate limit'),
    },
  });
}

/** The HTTP status of an Octokit RequestError, if `error` is one. */
export function statusOf(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

/** Converts any error from a call into an ApiError whose message is redacted. */
export function toApiError(error: unknown, what: string, redactor: Redactor): ApiError {
  if (error instanceof ApiError) return error;
  const status = statusOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError('github', status, redactor.redact(`${what} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`));
}

/** Runs one API call and converts its failure. */
export async function callGitHub<T>(what: string, redactor: Redactor, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toApiError(error, what, redactor);
  }
}
