// One host's activation, deploy-rs style and write-ahead: record the intent, arm a rollback guard
// on the host, set the profile to the exact store path, switch, confirm over a NEW connection,
// verify; on any failure roll back to the previous generation by its explicit store path. Each
// step is recorded before the next side effect, so a crash anywhere can be settled (recover.ts).
import { HostUnreachableError, type GuardState, type HostSystem } from '../../ports/host.js';
import type { FailedStep } from '../diagnose/failed-step.js';
import { CommandError } from '../../errors.js';
import type { CheckResult, TargetRecord } from '../../model/deploy-record.js';
import { verifyActivation } from '../verify/verify-host.js';
import { checkLock, type DeployContext } from './context.js';
import { interpretActivation } from './interpret-activation.js';
import { LockLostError } from './lock-guard.js';
import type { HostTarget } from './plan-targets.js';
import { awaitGuardRollback, rollbackHost, short, type RollbackResult } from './rollback-host.js';

export interface HostRun {
  target: HostTarget;
  system: HostSystem;
  sha: string;
  /** What the host ran before (read in the prepare phase): the rollback target. */
  previous: string;
  baselineFailed: string[];
  /** Invariants declared on this host, run after the activation. */
  invariants: () => Promise<CheckResult[]>;
}

export interface HostOutcome {
  record: TargetRecord;
  failed: boolean;
  /** The switch ran and failed (or was rolled back): the commit is bad and is not re-applied. */
  bad: boolean;
  pendingReboot: boolean;
  /** What failed, as evidence for the diagnosis (journal lines are added by the diagnosis). */
  failure?: FailedStep;
}

export function guardIdFor(runId: number, host: string, sha: string): string {
  return `${runId}-${host.replace(/[^A-Za-z0-9_.-]/g, '_')}-${sha.slice(0, 8)}`;
}

export async function activateHost(ctx: DeployContext, run: HostRun): Promise<HostOutcome> {
  const { target, system, previous } = run;
  const started = performance.now();
  const action = target.activation;
  const guardId = guardIdFor(ctx.runId, target.host, run.sha);
  const base = { kind: 'host' as const, name: target.host, action, from: previous, to: target.toplevel };
  const actionId = ctx.store.beginAction({ runId: ctx.runId, kind: 'host', target: target.host, sha: run.sha, action, from: previous, to: target.toplevel, detail: { guardId } });
  let failure: FailedStep | undefined;
  const finish = (record: Omit<TargetRecord, 'kind' | 'name' | 'action' | 'from' | 'to' | 'durationMs'>, failed: boolean, bad = failed): HostOutcome => {
    const full: TargetRecord = { ...base, ...record, message: ctx.redactor.redact(record.message), durationMs: Math.round(performance.now() - started) };
    ctx.store.finishAction(actionId, full);
    // At once, not at the end of the run: a crash later must not make this host deploy again.
    if (!failed) ctx.store.setLastGood('host', target.host, run.sha);
    return { record: full, failed, bad, pendingReboot: full.pendingReboot, ...(failed && failure ? { failure } : {}) };
  };
  const rolledBack = (reason: string, rollback: RollbackResult, verification: CheckResult[] = []) => {
    ctx.logger.warn(`${target.host}: ${reason}; ${rollback.detail}`);
    return finish({ result: rollback.restored ? 'rolled-back' : 'failed', message: `${reason}; ${rollback.detail}`, pendingReboot: false, verification }, true);
  };
  await ctx.hooks.reached('host.intent', target.host);
  let switching = false;
  try {
    ctx.logger.info(`${target.host}: ${action} to ${short(target.toplevel)} (${system.describe})`);
    checkLock(ctx);
    await system.armGuard({ id: guardId, previous, action, confirmSeconds: ctx.settings.confirmSeconds, activationSeconds: ctx.settings.activationSeconds });
    ctx.store.stepAction(actionId, 'armed');
    await ctx.hooks.reached('host.armed', target.host);
    await system.setProfile(target.toplevel);
    ctx.store.stepAction(actionId, 'profile-set');
    await ctx.hooks.reached('host.profile-set', target.host);
    checkLock(ctx);
    ctx.store.stepAction(actionId, 'switching');
    switching = true;
    const result = await system.activate(target.toplevel, action, { timeoutMs: ctx.settings.activationSeconds * 1000, guardId });
    ctx.store.stepAction(actionId, 'switched', { exitCode: result.exitCode, timedOut: result.timedOut });
    await ctx.hooks.reached('host.switched', target.host);
    const verdict = interpretActivation(result, ctx.settings.activationSeconds);
    if (!verdict.ok) failure = { step: 'activation', host: target.host, action, exitCode: result.exitCode, timedOut: result.timedOut, output: ctx.redactor.redact(result.output), failedUnits: result.plan.failed.map((unit) => ({ unit, journal: [] })) };
    if (!verdict.ok) return rolledBack(verdict.reason, await rollbackHost(ctx, system, { previous, action, guardId }));

    const guard = await confirm(system, guardId);
    if (guard !== 'confirmed') {
      const why = guard === 'unreachable' ? 'unreachable over a new connection after the switch' : `no confirmation in time (guard ${guard})`;
      failure = { step: 'confirmation', host: target.host, detail: why };
      return rolledBack(why, await awaitGuardRollback(ctx, system, { previous, action, guardId }));
    }
    ctx.store.stepAction(actionId, 'confirmed');
    await ctx.hooks.reached('host.confirmed', target.host);

    // Exit 100: the new generation is the boot default but runs only after a reboot.
    const verification = await verifyActivation(system, { action: verdict.rebootRequired ? 'boot' : action, toplevel: target.toplevel, baselineFailed: run.baselineFailed });
    const invariants = await run.invariants();
    const checks = [...verification.checks, ...invariants];
    if (!verification.ok || invariants.some((c) => !c.ok)) {
      const failedChecks = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; ');
      failure = { step: 'verification', host: target.host, checks, failedUnits: (await newlyFailed(system, run.baselineFailed)).map((unit) => ({ unit, journal: [] })) };
      return rolledBack(`verification failed (${failedChecks})`, await rollbackHost(ctx, system, { previous, action, guardId: null }), checks);
    }
    const pendingReboot = verdict.rebootRequired || verification.rebootRequired || action === 'boot' || target.label === 'needs-reboot';
    ctx.store.stepAction(actionId, 'verified', { pendingReboot });
    await ctx.hooks.reached('host.verified', target.host);
    const note = action === 'boot' ? 'boots the new generation next; a reboot applies it' : pendingReboot ? `${verdict.note}; a reboot is required` : 'switched, confirmed over a new connection and verified';
    return finish({ result: pendingReboot ? 'deployed' : 'verified', message: `${short(previous)} -> ${short(target.toplevel)}: ${note}`, pendingReboot, verification: checks }, false);
  } catch (error) {
    // The host now belongs to the deploy that took the lock over: no rollback, no record from here.
    if (error instanceof LockLostError) throw error;
    const reason = (error as Error).message;
    // Unreachable during the switch is lost access, not a host that was never reached.
    failure = error instanceof HostUnreachableError ? (switching ? { step: 'confirmation', host: target.host, detail: reason } : { step: 'connection', host: target.host, detail: reason }) : { step: 'activation', host: target.host, action, exitCode: null, timedOut: false, output: ctx.redactor.redact(reason), failedUnits: [] };
    if (switching) return rolledBack(reason, await rollbackHost(ctx, system, { previous, action, guardId }));
    // Before the switch nothing ran: undo the guard and the profile, and let a later run retry.
    const undone = await undoBeforeSwitch(system, { previous, guardId });
    ctx.logger.warn(`${target.host}: ${reason} (${undone})`);
    return finish({ result: 'failed', message: `not activated: ${reason} (${undone})`, pendingReboot: false, verification: [] }, true, false);
  }
}

/** Best effort after a failure before the switch: nothing but the guard and the profile changed. */
export async function undoBeforeSwitch(system: HostSystem, input: { previous: string; guardId: string | null }): Promise<string> {
  try {
    if (input.guardId) await system.disarmGuard(input.guardId);
    const state = await system.readState();
    if (state.profile !== input.previous) await system.setProfile(input.previous);
    return 'nothing was activated; the profile points at the previous generation';
  } catch (error) {
    return `could not tidy up: ${(error as Error).message}`;
  }
}

/** Units failed now that had not failed before the deploy (best effort: evidence, not a verdict). */
async function newlyFailed(system: HostSystem, baseline: string[]): Promise<string[]> {
  const known = new Set(baseline);
  return (await system.failedUnits().catch(() => [] as string[])).filter((u) => !known.has(u));
}

/** The confirmation: disarming the guard over a new connection proves that a fresh login works. */
async function confirm(system: HostSystem, guardId: string): Promise<GuardState | 'unreachable'> {
  try {
    return await system.confirmGuard(guardId);
  } catch (error) {
    if (error instanceof HostUnreachableError || error instanceof CommandError) return 'unreachable';
    throw error;
  }
}
