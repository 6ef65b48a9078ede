// A commit whose every target verified but whose global invariants then fail (an NFS export gone,
// a quorum lost, a backup stale) is not verified: the invariants are part of the verification.
// Everything this commit changed goes back to what ran before: hosts to their previous generation
// (by explicit store path), registered jobs to the version they ran, stopped jobs back to it,
// new jobs stopped; each target's last good returns to its base. The caller marks the commit bad.
import type { HostSystem } from '../../ports/host.js';
import type { NomadPort } from '../../ports/nomad.js';
import { waitForEvaluation, watchDeployment } from './watch-deployment.js';
import type { TargetRecord } from '../../model/deploy-record.js';
import { checkLock, type DeployContext } from './context.js';
import { LockLostError } from './lock-guard.js';
import { rollbackHost } from './rollback-host.js';

export interface RevertInput {
  sha: string;
  /** Why: the failed invariants, in one line. */
  reason: string;
  /** The commit's target records; the reverted ones are rewritten in place. */
  targets: TargetRecord[];
  /** What each activated host ran before. */
  previousOf: (host: string) => { system: HostSystem; previous: string } | null;
  /** Each target's base (its last good before this commit). */
  baseOf: (kind: 'host' | 'job', name: string) => string;
  nomad?: NomadPort;
}

/** Reverts every target the commit changed; returns whether all of them are back. */
export async function revertCommit(ctx: DeployContext, input: RevertInput): Promise<boolean> {
  let all = true;
  for (const [i, t] of input.targets.entries()) {
    if (t.result !== 'verified' && t.result !== 'deployed') continue;
    if (t.action === 'none') continue;
    const reverted = t.kind === 'host' ? await revertHost(ctx, input, t) : await revertJob(ctx, input, t);
    input.targets[i] = reverted;
    if (reverted.result !== 'rolled-back') all = false;
    else ctx.store.setLastGood(t.kind, t.name, input.baseOf(t.kind, t.name));
  }
  return all;
}

async function revertHost(ctx: DeployContext, input: RevertInput, t: TargetRecord): Promise<TargetRecord> {
  const prepared = input.previousOf(t.name);
  const action = t.action === 'boot' ? 'boot' : 'switch';
  if (!prepared || !t.to) return { ...t, result: 'failed', message: `${t.message}; ${input.reason}; cannot revert: the previous generation is unknown` };
  checkLock(ctx);
  // Write-ahead, marked as a revert: recovery finishes it by rolling back again (see recover.ts).
  const actionId = ctx.store.beginAction({ runId: ctx.runId, kind: 'host', target: t.name, sha: input.sha, action, from: t.to, to: prepared.previous, detail: { revert: true } });
  const rollback = await rollbackHost(ctx, prepared.system, { previous: prepared.previous, action, guardId: null });
  const record: TargetRecord = { ...t, result: rollback.restored ? 'rolled-back' : 'failed', pendingReboot: false, message: ctx.redactor.redact(`${t.message}; then ${input.reason}; ${rollback.detail}`) };
  ctx.store.finishAction(actionId, { ...record, from: t.to, to: prepared.previous });
  if (action === 'boot') ctx.store.clearPendingReboot(t.name);
  ctx.logger.warn(`${t.name}: ${input.reason}; ${rollback.detail}`);
  return record;
}

async function revertJob(ctx: DeployContext, input: RevertInput, t: TargetRecord): Promise<TargetRecord> {
  const nomad = input.nomad;
  const fail = (why: string): TargetRecord => ({ ...t, result: 'failed', message: ctx.redactor.redact(`${t.message}; then ${input.reason}; ${why}`) });
  if (!nomad) return fail('cannot revert: no Nomad cluster configured');
  const current = await nomad.readJob(t.name).catch(() => null);
  const actionId = ctx.store.beginAction({ runId: ctx.runId, kind: 'job', target: t.name, sha: input.sha, action: t.from === null && t.action === 'register' ? 'stop' : 'register', from: current?.Version === undefined ? null : String(current.Version), to: t.from, detail: { revert: true } });
  const finish = (record: TargetRecord) => {
    ctx.store.finishAction(actionId, record);
    ctx.logger.warn(`job ${t.name}: ${record.message}`);
    return record;
  };
  try {
    checkLock(ctx);
    if (t.from === null) {
      // A job this commit added: stop it (no purge).
      const stopped = await nomad.deregisterJob(t.name);
      await waitForEvaluation(nomad, stopped.evalId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs });
      return finish({ ...t, result: 'rolled-back', message: ctx.redactor.redact(`${t.message}; then ${input.reason}; stopped again (it is new in this commit)`) });
    }
    const version = Number(t.from);
    const reverted = await nomad.revertJob(t.name, version, current?.Version === undefined ? {} : { enforcePriorVersion: current.Version });
    if (reverted.status === 'conflict') return finish(fail(`revert refused: ${reverted.message}`));
    const evaluation = await waitForEvaluation(nomad, reverted.evalId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs });
    const done = evaluation.deploymentId ? await watchDeployment(nomad, evaluation.deploymentId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs }) : null;
    if (done && done.status !== 'successful') return finish(fail(`reverted to version ${version}, but its deployment ended ${done.status}`));
    return finish({ ...t, result: 'rolled-back', message: ctx.redactor.redact(`${t.message}; then ${input.reason}; reverted to version ${version}`) });
  } catch (error) {
    if (error instanceof LockLostError) throw error;
    return finish(fail(`revert failed: ${(error as Error).message}`));
  }
}
