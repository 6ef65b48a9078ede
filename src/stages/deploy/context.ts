// What every deploy step needs: the state store (write-ahead), the crash/pause hooks, timeouts,
// the logger and redactor. Built once per run by the pipeline.
import type { DeployStore, LockHolder } from '../../ports/deploy-store.js';
import type { Logger } from '../../ports/logger.js';
import type { Redactor } from '../../redact.js';

/**
 * Named steps of the executor. The composition root turns STEWARD_TEST_CRASH_AT (and
 * STEWARD_TEST_PAUSE_AT) into hooks that kill (or pause) the real process there: how the tests
 * prove that every step is recoverable.
 */
export const DEPLOY_STEPS = [
  'run.locked',
  'host.intent',
  'host.armed',
  'host.profile-set',
  'host.switched',
  'host.confirmed',
  'host.verified',
  'host.reboot-started',
  'job.intent',
  'job.registered',
  'job.watched',
] as const;
export type DeployStep = (typeof DEPLOY_STEPS)[number];

export interface StepHooks {
  reached(step: DeployStep, target: string): Promise<void>;
}

export const noHooks: StepHooks = { reached: async () => {} };

export interface DeploySettings {
  confirmSeconds: number;
  activationSeconds: number;
  rebootTimeoutMs: number;
  quorumTimeoutMs: number;
  jobDeadlineMs: number;
  blockingWaitMs: number;
  /** Polling interval while a host reboots or a guard rolls back (new connections). */
  pollMs: number;
}

export interface DeployContext {
  store: DeployStore;
  runId: number;
  hooks: StepHooks;
  logger: Logger;
  redactor: Redactor;
  settings: DeploySettings;
  now: () => Date;
  /** Throws LockLostError when another deploy took the lock over (see lock-guard.ts); absent without a lock. */
  checkLock?: () => void;
}

/** Called right before every side effect on a host or the cluster. */
export function checkLock(ctx: DeployContext): void {
  ctx.checkLock?.();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function describeHolder(holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquiredAt})`;
}
