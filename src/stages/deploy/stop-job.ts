// A job removed from the repository: stop it like `nomad job stop` (deregister without purge,
// so its versions stay and a revert remains possible), wait for the evaluation and verify that no
// allocation runs any more. Idempotent: a job already stopped, or gone, is done.
import { ApiError } from '../../errors.js';
import type { NomadPort } from '../../ports/nomad.js';
import { waitForEvaluation } from './watch-deployment.js';
import type { CheckResult, TargetRecord } from '../../model/deploy-record.js';
import { checkLock, type DeployContext } from './context.js';
import { LockLostError } from './lock-guard.js';
import type { JobOutcome } from './deploy-job.js';
import type { JobStop } from './plan-targets.js';

export async function stopJob(deps: { ctx: DeployContext; nomad: NomadPort }, target: JobStop, sha: string): Promise<JobOutcome> {
  const { ctx, nomad } = deps;
  const started = performance.now();
  const current = await nomad.readJob(target.job).catch(() => null);
  const from = current?.Version === undefined ? null : String(current.Version);
  const actionId = ctx.store.beginAction({ runId: ctx.runId, kind: 'job', target: target.job, sha, action: 'stop', from, to: null, detail: {} });
  const finish = (result: TargetRecord['result'], message: string, verification: CheckResult[], failed: boolean): JobOutcome => {
    const record: TargetRecord = { kind: 'job', name: target.job, action: 'stop', result, from, to: null, message: ctx.redactor.redact(message), pendingReboot: false, verification, durationMs: Math.round(performance.now() - started) };
    ctx.store.finishAction(actionId, record);
    if (!failed) ctx.store.setLastGood('job', target.job, sha);
    return { record, failed, bad: false };
  };
  await ctx.hooks.reached('job.intent', target.job);
  try {
    if (!current || current.Stop === true) return finish('verified', current ? 'already stopped' : 'not in the cluster: nothing to stop', [], false);
    checkLock(ctx);
    const stopped = await nomad.deregisterJob(target.job);
    ctx.store.stepAction(actionId, 'deregistered', { evalId: stopped.evalId });
    ctx.logger.info(`job ${target.job}: stopped (evaluation ${stopped.evalId.slice(0, 8)}), waiting for its allocations`);
    await waitForEvaluation(nomad, stopped.evalId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs });
    const running = (await nomad.jobAllocations(target.job)).value.filter((a) => a.desiredStatus === 'run' && ['running', 'pending'].includes(a.clientStatus));
    const check: CheckResult = { name: 'allocations stopped', ok: running.length === 0, detail: running.length === 0 ? 'none running' : `${running.length} still running: ${running.map((a) => a.name).join(', ')}`, target: `job ${target.job}` };
    return check.ok ? finish('verified', `stopped (was version ${from ?? '?'})`, [check], false) : finish('failed', `stop requested, but ${check.detail}`, [check], true);
  } catch (error) {
    if (error instanceof LockLostError) throw error;
    const message = error instanceof ApiError ? error.message : (error as Error).message;
    return finish('failed', `stop failed: ${message}`, [], true);
  }
}
