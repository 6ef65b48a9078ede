// The push pipeline: take the lock, settle what an interrupted run left, deploy approved
// ancestors then head (each: planDeploy, then applyDeployPlan), do the reboots the policy allows,
// and release the lock. Two deploys never run at once; a crash anywhere leaves a write-ahead
// record from which the next run resumes or rolls back. `--dry-run` is the plan, rendered.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { LockHolder } from '../ports/deploy-store.js';
import type { ReviewReport } from '../model/review.js';
import { describeHolder, noHooks, type DeployContext, type DeploySettings } from '../stages/deploy/context.js';
import { rebootPending } from '../stages/deploy/reboot-hosts.js';
import { describeWindows, inRebootWindow } from '../stages/deploy/reboot-window.js';
import { assertLockHeld, LockLostError, lockGuardedStore } from '../stages/deploy/lock-guard.js';
import { recoverActions, type RecoveredAction } from '../stages/deploy/recover.js';
import { DEPLOY_SCHEMA_VERSION, worstOutcome, type DeployOutcome, type DeployReport } from '../model/deploy-record.js';
import { applyDeployPlan } from './apply-deploy.js';
import { untracked, type Phases } from './phase-runner.js';
import { planDeploy, renderDeployPlan, type PlanOptions } from './plan-deploy.js';
import type { DeployDeps } from './deploy-deps.js';
import { newerDeployed } from './deploy-direction.js';

export interface DeployOptions extends Omit<PlanOptions, 'approved' | 'rollback'> {
  /** Plan only: review, gate and pre-flight, render the plan, change nothing. */
  dryRun: boolean;
  head?: string;
  /** `steward deploy --rollback-to`: deploy this older commit on purpose (instead of head). */
  rollbackTo?: string;
  /** What runs (for the lock's holder record), e.g. `steward deploy`. */
  command: string;
  /** How often a rebooting host or a rolling-back guard is polled (new connections). Default 250 ms. */
  pollMs?: number;
}

export type DeployRunResult =
  | { kind: 'locked'; holder: LockHolder; message: string }
  /** Another deploy took the lock over while this one was paused: it stopped without touching anything more. */
  | { kind: 'lock-lost'; holder: LockHolder | null; message: string }
  | { kind: 'done'; report: DeployReport; reviews: ReviewReport[] };

/** Heart-beats several times within the stale window, at most every 5 s. */
const heartbeatMs = (staleMs: number) => Math.max(100, Math.min(5_000, Math.floor(staleMs / 4)));

export function deploySettings(options: DeployOptions): DeploySettings {
  const d = options.config.deploy;
  return {
    confirmSeconds: d.confirmTimeoutSeconds,
    activationSeconds: d.activationTimeoutSeconds,
    rebootTimeoutMs: d.reboot.timeoutSeconds * 1000,
    quorumTimeoutMs: d.quorumTimeoutSeconds * 1000,
    jobDeadlineMs: d.jobDeadlineSeconds * 1000,
    blockingWaitMs: d.blockingWaitSeconds * 1000,
    pollMs: options.pollMs ?? 250,
  };
}

export async function runDeploy(unguarded: DeployDeps, options: DeployOptions, phases: Phases = untracked()): Promise<DeployRunResult> {
  const rollback = options.rollbackTo !== undefined;
  const head = await unguarded.git.resolve(options.rollbackTo ?? options.head ?? 'HEAD');
  // --dry-run is the plan, rendered: no lock (it changes nothing), no recovery, no approved ancestors.
  if (options.dryRun) return dryRun(unguarded, head, { ...options, approved: false, rollback }, phases);
  const owner = randomUUID();
  const { logger } = unguarded;
  const staleMs = options.config.deploy.lockStaleSeconds * 1000;
  // Every write of this run checks that it still holds the lock (a paused run may have lost it).
  const store = lockGuardedStore(unguarded.store, owner);
  const deps: DeployDeps = { ...unguarded, store };
  const waitMs = options.config.deploy.lockWaitSeconds * 1000;
  const lock = await phases.run('lock', () => store.acquireLock({ owner, pid: process.pid, hostname: os.hostname(), command: options.command }, { waitMs, staleMs }));
  if (!lock.acquired) {
    return { kind: 'locked', holder: lock.holder, message: `another deploy holds the lock: ${describeHolder(lock.holder)}; waited ${Math.round(waitMs / 1000)} s (deploy.lockWaitSeconds)` };
  }
  if (lock.tookOverFrom) logger.warn(`took over the lock of ${describeHolder(lock.tookOverFrom)}: it is gone; settling what it left`);
  const heartbeat = setInterval(() => store.heartbeat(owner), heartbeatMs(staleMs));
  heartbeat.unref();
  try {
    const runId = store.startRun({ head, dryRun: false });
    const ctx: DeployContext = {
      store,
      runId,
      hooks: deps.hooks ?? noHooks,
      logger,
      redactor: deps.redactor,
      settings: deploySettings(options),
      now: deps.now ?? (() => new Date()),
      checkLock: () => assertLockHeld(unguarded.store, owner),
    };
    await ctx.hooks.reached('run.locked', head);
    const report: DeployReport = { schema: DEPLOY_SCHEMA_VERSION, repo: deps.git.root, head, dryRun: false, outcome: 'nothing-to-do', recovered: [], commits: [], reboots: [] };
    const reviews: ReviewReport[] = [];
    const finish = (outcome: DeployOutcome): DeployRunResult => {
      report.outcome = outcome;
      store.finishRun(runId, report.commits);
      return { kind: 'done', report, reviews };
    };

    const recovered = await phases.run('recover', async () => {
      const settled = await recoverActions(ctx, deps.hostFor, store.incompleteActions());
      applyRecovered(ctx, settled);
      return settled;
    });
    report.recovered = recovered.map((r) => r.record);
    if (recovered.some((r) => r.unsettled)) return finish('failed');

    const deployOne = async (sha: string, commit: { approved: boolean; rollback: boolean }) => {
      const plan = await phases.run('plan', () => planDeploy(deps, ctx, sha, { ...options, ...commit }));
      const result = await phases.run('apply', () => applyDeployPlan(deps, ctx, plan, options, phases));
      report.commits.push(result.record);
      reviews.push(...result.reviews);
      return result.record.outcome;
    };
    for (const sha of rollback ? [] : await approvedAncestors(deps, head)) {
      logger.info(`${sha.slice(0, 12)} was approved: deploying exactly that commit first`);
      if (isFailure(await deployOne(sha, { approved: true, rollback: false }))) return finish(worstOutcome(report.commits.map((c) => c.outcome)));
    }
    await deployOne(head, { approved: false, rollback });

    const outcomes = report.commits.map((c) => c.outcome);
    if (!outcomes.some(isFailure)) {
      const reboot = options.config.deploy.reboot;
      const rebooted = await phases.run('reboots', () =>
        rebootPending(
        {
          ctx,
          cluster: deps.cluster,
          hostFor: deps.hostFor,
          rolesOf: (host) => options.config.hosts[host]?.roles ?? [],
          policyOf: (host) => options.config.hosts[host]?.reboot ?? reboot.mode,
          windowOpen: inRebootWindow(reboot.windows, reboot.timeZone, ctx.now()),
          windowText: describeWindows(reboot.windows, reboot.timeZone),
        },
          store.pendingReboots(),
        ),
      );
      report.reboots = rebooted.records;
      if (rebooted.failed) outcomes.push('failed');
    }
    return finish(worstOutcome(outcomes));
  } catch (error) {
    if (!(error instanceof LockLostError)) throw error;
    return { kind: 'lock-lost', holder: error.holder, message: error.message };
  } finally {
    clearInterval(heartbeat);
    store.releaseLock(owner);
  }
}

/** `--dry-run`: head's plan, rendered; the run is recorded as a dry run. */
async function dryRun(deps: DeployDeps, head: string, options: DeployOptions & PlanOptions, phases: Phases): Promise<DeployRunResult> {
  const ctx = { store: deps.store, logger: deps.logger, redactor: deps.redactor, now: deps.now ?? (() => new Date()) };
  const runId = deps.store.startRun({ head, dryRun: true });
  const plan = await phases.run('plan', () => planDeploy(deps, ctx, head, options));
  const { record, reviews } = renderDeployPlan(ctx, plan);
  const report: DeployReport = { schema: DEPLOY_SCHEMA_VERSION, repo: deps.git.root, head, dryRun: true, outcome: worstOutcome([record.outcome]), recovered: [], commits: [record], reboots: [] };
  deps.store.finishRun(runId, report.commits);
  return { kind: 'done', report, reviews };
}

function isFailure(outcome: DeployOutcome): boolean {
  return outcome === 'failed' || outcome === 'preflight-failed' || outcome === 'build-failed' || outcome === 'validation-failed';
}

/** What settled actions mean for the targets' state. */
function applyRecovered(ctx: DeployContext, recovered: RecoveredAction[]): void {
  for (const r of recovered) {
    if (r.row.kind !== 'host' || !r.deployed) continue;
    if (r.row.action === 'reboot') {
      ctx.store.clearPendingReboot(r.row.target);
      continue;
    }
    ctx.store.setLastGood('host', r.row.target, r.row.sha);
    if (r.pendingReboot && r.row.to) ctx.store.setPendingReboot({ host: r.row.target, toplevel: r.row.to, previous: r.row.from, sha: r.row.sha });
  }
}

/**
 * Approved commits that are ancestors of head and were never deployed, oldest first. One that
 * main has moved past (a target runs it or a newer commit, e.g. one that reverted it) is not
 * deployed on its own: head's review of the combined change decides.
 */
async function approvedAncestors(deps: DeployDeps, head: string): Promise<string[]> {
  if (!deps.approvals) return [];
  const handled = new Set(deps.store.commitRecords({ limit: 500 }).filter((c) => c.outcome !== 'held' && c.outcome !== 'planned' && c.outcome !== 'refused').map((c) => c.head));
  const out: string[] = [];
  for (const sha of await deps.approvals.approvedCommits((sha) => sha === head || handled.has(sha))) {
    if ((await deps.git.mergeBase(sha, head).catch(() => null)) !== sha) continue;
    const newer = await newerDeployed(deps.git, deps.store, sha, true);
    if (newer) {
      deps.logger.info(`${sha.slice(0, 12)} was approved, but ${newer.target} already runs ${newer.sha.slice(0, 12)} (it or newer): the combined change up to ${head.slice(0, 12)} is reviewed instead`);
      continue;
    }
    out.push(sha);
  }
  return out;
}

