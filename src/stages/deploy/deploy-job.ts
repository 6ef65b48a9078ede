// One Nomad job: register it with EnforceIndex from the plan, watch its deployment with blocking
// queries until it succeeds or fails within a deadline, check its Consul services, and on failure
// revert it to its last stable version — unless the job reverts itself (auto_revert), which is
// then waited for. Failed allocations are reported with why.
import { ApiError } from '../../errors.js';
import type { FailedStep } from '../diagnose/failed-step.js';
import { gatherAllocationEvidence } from '../diagnose/gather-job-evidence.js';
import type { ConsulHealth } from '../../ports/consul.js';
import type { NomadDeployment, NomadPort } from '../../ports/nomad.js';
import { waitForEvaluation, watchDeployment } from './watch-deployment.js';
import type { CheckResult, TargetRecord } from '../../model/deploy-record.js';
import { checkLock, type DeployContext } from './context.js';
import { LockLostError } from './lock-guard.js';
import { describeFailedAllocations, jobServiceNames, serviceChecks } from './job-health.js';
import type { JobTarget } from './plan-targets.js';

export interface JobDeps {
  ctx: DeployContext;
  nomad: NomadPort;
  consul?: Pick<ConsulHealth, 'serviceHealth'>;
  /** A file of the deployed commit (the job file). */
  readFile(path: string): Promise<string | null>;
}

export interface JobOutcome {
  record: TargetRecord;
  failed: boolean;
  bad: boolean;
  /** A failed deployment, as evidence for the diagnosis. */
  failure?: FailedStep;
}

type Settled = Omit<TargetRecord, 'kind' | 'name' | 'action' | 'durationMs'> & { failed: boolean; bad: boolean; failure?: FailedStep };

export async function deployJob(deps: JobDeps, target: JobTarget, sha: string): Promise<JobOutcome> {
  const { ctx, nomad } = deps;
  const started = performance.now();
  const current = await nomad.readJob(target.job);
  const from = current?.Version === undefined ? null : String(current.Version);
  const resumed = target.plan.diffType === 'None';
  const actionId = ctx.store.beginAction({ runId: ctx.runId, kind: 'job', target: target.job, sha, action: 'register', from, to: null, detail: { enforceIndex: target.plan.jobModifyIndex, resumed } });
  const finish = (s: Settled): JobOutcome => {
    const { failed, bad, failure, ...rest } = s;
    const record: TargetRecord = { kind: 'job', name: target.job, action: 'register', ...rest, message: ctx.redactor.redact(rest.message), durationMs: Math.round(performance.now() - started) };
    ctx.store.finishAction(actionId, record);
    if (!failed) ctx.store.setLastGood('job', target.job, sha);
    return { record, failed, bad, ...(failed && failure ? { failure } : {}) };
  };
  await ctx.hooks.reached('job.intent', target.job);
  try {
    if (resumed) return finish(await resume(deps, target, from));
    const hcl = await deps.readFile(target.file);
    if (hcl === null) return finish({ result: 'failed', from, to: null, message: `${target.file} is missing at the deployed commit`, pendingReboot: false, verification: [], failed: true, bad: false });
    const spec = await nomad.parseJob(hcl);
    checkLock(ctx);
    const registered = await nomad.registerJob(spec, { enforceIndex: target.plan.jobModifyIndex });
    if (registered.status === 'conflict') {
      return finish({ result: 'failed', from, to: null, message: `not registered: the job changed in Nomad since it was planned (EnforceIndex ${target.plan.jobModifyIndex}): ${registered.message}`, pendingReboot: false, verification: [], failed: true, bad: false });
    }
    ctx.store.stepAction(actionId, 'registered', { evalId: registered.evalId, jobModifyIndex: registered.jobModifyIndex });
    await ctx.hooks.reached('job.registered', target.job);
    ctx.logger.info(`job ${target.job}: registered (evaluation ${registered.evalId.slice(0, 8)}), watching its deployment`);
    const evaluation = await waitForEvaluation(nomad, registered.evalId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs });
    const settled = await settle(deps, target, from, evaluation.deploymentId ?? null, spec);
    await ctx.hooks.reached('job.watched', target.job);
    return finish(settled);
  } catch (error) {
    if (error instanceof LockLostError) throw error;
    const message = error instanceof ApiError ? error.message : (error as Error).message;
    return finish({ result: 'failed', from, to: null, message: `deploy failed: ${message}`, pendingReboot: false, verification: [], failed: true, bad: false });
  }
}

/** The job already has the commit's spec (an interrupted run registered it): watch what is there. */
async function resume(deps: JobDeps, target: JobTarget, from: string | null): Promise<Settled> {
  const latest = (await deps.nomad.latestDeployment(target.job)).value;
  const spec = await deps.nomad.readJob(target.job);
  if (latest && spec?.Version !== undefined && latest.jobVersion === spec.Version) {
    const settled = await settle(deps, target, from, latest.id, spec);
    return { ...settled, message: `already registered (by an interrupted run): ${settled.message}` };
  }
  return { result: 'verified', from, to: from, message: 'already registered with this commit\'s spec: nothing to do', pendingReboot: false, verification: [], failed: false, bad: false };
}

async function settle(deps: JobDeps, target: JobTarget, from: string | null, deploymentId: string | null, spec: Record<string, unknown>): Promise<Settled> {
  const { ctx, nomad } = deps;
  const services = jobServiceNames(spec);
  if (!deploymentId) {
    // System and batch jobs have no deployment: their Consul services are the health signal.
    const checks = await serviceChecks(deps.consul, services);
    const ok = checks.every((c) => c.ok);
    const failure: FailedStep = { step: 'job-deployment', job: target.job, status: 'unhealthy', description: 'no deployment for this job type; its services are not healthy', allocations: checks.filter((c) => !c.ok).map((c) => ({ name: c.name, id: '', node: '', clientStatus: 'running', healthy: false, events: [], checks: [c.detail] })) };
    return { result: ok ? 'verified' : 'failed', from, to: null, message: ok ? 'registered (no deployment for this job type); services healthy' : 'registered, but its services are not healthy', pendingReboot: false, verification: checks, failed: !ok, bad: !ok, ...(ok ? {} : { failure }) };
  }
  const watched = await watchDeployment(nomad, deploymentId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs });
  const deployment = watched.deployment;
  const to = String(deployment.jobVersion);
  const status: CheckResult = { name: 'nomad deployment', ok: watched.status === 'successful', detail: `${watched.status}: ${deployment.statusDescription} (${watched.requests} requests)`, target: `job ${target.job}` };
  if (watched.status === 'successful') {
    const checks = [status, ...(await serviceChecks(deps.consul, services))];
    if (checks.every((c) => c.ok)) return { result: 'verified', from, to, message: `version ${to} deployed and healthy`, pendingReboot: false, verification: checks, failed: false, bad: false };
    const failure: FailedStep = { step: 'job-deployment', job: target.job, status: 'unhealthy', description: 'Consul checks are failing after the deployment', allocations: checks.filter((c) => !c.ok).map((c) => ({ name: c.name, id: '', node: '', clientStatus: 'running', healthy: false, events: [], checks: [c.detail] })) };
    return { ...(await revert(deps, target, { from, deployment, why: 'Consul checks are failing after the deployment', checks })), failure };
  }
  const why = `deployment ${watched.status === 'timeout' ? `did not finish within ${Math.round(ctx.settings.jobDeadlineMs / 1000)} s` : watched.status}: ${await describeFailedAllocations(nomad, deps.consul, deploymentId, services)}`;
  const failure: FailedStep = { step: 'job-deployment', job: target.job, status: watched.status, description: deployment.statusDescription, allocations: await gatherAllocationEvidence(nomad, deps.consul, deploymentId, services) };
  const autoRevert = Object.values(deployment.groups).some((g) => g.autoRevert);
  if (autoRevert && watched.status === 'failed') return { ...(await awaitAutoRevert(deps, target, { from, deployment, why, checks: [status] })), failure };
  return { ...(await revert(deps, target, { from, deployment, why, checks: [status] })), failure };
}

/** The job reverts itself (auto_revert): wait for Nomad's own rollback deployment to finish. */
async function awaitAutoRevert(deps: JobDeps, target: JobTarget, input: { from: string | null; deployment: NomadDeployment; why: string; checks: CheckResult[] }): Promise<Settled> {
  const { nomad, ctx } = deps;
  const base = { from: input.from, to: String(input.deployment.jobVersion), pendingReboot: false, failed: true, bad: true };
  if (/no stable job version/i.test(input.deployment.statusDescription)) return { ...base, result: 'failed', message: `${input.why}; auto_revert found no stable version to return to`, verification: input.checks };
  const deadline = Date.now() + ctx.settings.jobDeadlineMs;
  let index = 0;
  while (Date.now() < deadline) {
    const answer = await nomad.latestDeployment(target.job, { index, waitMs: Math.min(ctx.settings.blockingWaitMs, Math.max(1, deadline - Date.now())) });
    const latest = answer.value;
    if (latest && latest.id !== input.deployment.id) {
      const done = await watchDeployment(nomad, latest.id, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: Math.max(1, deadline - Date.now()) });
      const check: CheckResult = { name: 'nomad auto-revert', ok: done.status === 'successful', detail: `version ${done.deployment.jobVersion}: ${done.status}`, target: `job ${target.job}` };
      return { ...base, result: done.status === 'successful' ? 'rolled-back' : 'failed', message: `${input.why}; Nomad auto-reverted it to version ${done.deployment.jobVersion} (${done.status})`, verification: [...input.checks, check] };
    }
    index = Math.max(answer.index, 1);
  }
  return { ...base, result: 'failed', message: `${input.why}; Nomad's auto-revert did not show up within the deadline`, verification: input.checks };
}

/** Steward reverts the job to its newest stable version older than the failed one. */
async function revert(deps: JobDeps, target: JobTarget, input: { from: string | null; deployment: NomadDeployment; why: string; checks: CheckResult[] }): Promise<Settled> {
  const { nomad, ctx } = deps;
  const failedVersion = input.deployment.jobVersion;
  const base = { from: input.from, to: String(failedVersion), pendingReboot: false, failed: true, bad: true };
  const stable = (await nomad.jobVersions(target.job)).find((v) => v.stable && v.version < failedVersion);
  if (!stable) return { ...base, result: 'failed', message: `${input.why}; no stable version to revert to: stop or fix the job by hand`, verification: input.checks };
  const reverted = await nomad.revertJob(target.job, stable.version, { enforcePriorVersion: failedVersion });
  if (reverted.status === 'conflict') return { ...base, result: 'failed', message: `${input.why}; revert refused: ${reverted.message}`, verification: input.checks };
  ctx.logger.warn(`job ${target.job}: ${input.why}; reverting to version ${stable.version}`);
  const evaluation = await waitForEvaluation(nomad, reverted.evalId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs });
  let check: CheckResult = { name: 'nomad revert', ok: true, detail: `reverted to version ${stable.version}`, target: `job ${target.job}` };
  if (evaluation.deploymentId) {
    const done = await watchDeployment(nomad, evaluation.deploymentId, { waitMs: ctx.settings.blockingWaitMs, timeoutMs: ctx.settings.jobDeadlineMs });
    check = { ...check, ok: done.status === 'successful', detail: `reverted to version ${stable.version}: ${done.status}` };
  }
  return { ...base, result: check.ok ? 'rolled-back' : 'failed', message: `${input.why}; Steward reverted it to version ${stable.version}${check.ok ? '' : ' (the revert did not succeed either)'}`, verification: [...input.checks, check] };
}
