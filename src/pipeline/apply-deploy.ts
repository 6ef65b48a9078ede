// The acting half of deploying one commit: carry out a plan. Held commits ask for approval;
// ready ones prepare the hosts (closure + dry-activate folded into the ChangeSet), roll the hosts
// out, then the Nomad jobs and stops, check the invariants and record the result. Every action
// goes through the write-ahead journal (stages/deploy), so a crash anywhere is recoverable.
import type { StewardConfig } from '../config/schema.js';
import type { Reason } from '../model/evidence.js';
import { mostSevere } from '../model/label.js';
import type { DeployContext } from '../stages/deploy/context.js';
import { deployJob } from '../stages/deploy/deploy-job.js';
import type { HostTarget, TargetPlan } from '../stages/deploy/plan-targets.js';
import { prepareHosts, type PrepareResult } from '../stages/deploy/prepare-hosts.js';
import { revertCommit } from '../stages/deploy/revert-commit.js';
import { rolloutHosts } from '../stages/deploy/rollout-hosts.js';
import { stopJob } from '../stages/deploy/stop-job.js';
import type { CheckResult, CommitRecord, DeployOutcome, TargetRecord } from '../model/deploy-record.js';
import { runInvariants } from '../stages/verify/invariants.js';
import { closeRecord, planned, summarizeTargets, type CommitResult } from './commit-record.js';
import { classifyOptions, type DeployDeps } from './deploy-deps.js';
import { untracked, type Phases } from './phase-runner.js';
import { recoverRollout } from './diagnose-rollout.js';
import { recheckInvariants, recoverJob } from './diagnose-targets.js';
import type { DiagnosisDecision } from '../model/deploy-failure.js';
import { sleep } from '../stages/deploy/context.js';
import { renderDiagnosisLine } from '../stages/diagnose/render-diagnosis.js';
import { heldTargets, type DeployPlan, type ReadyPlan } from './plan-deploy.js';

export interface ApplyOptions {
  config: StewardConfig;
}

/** The phases of applying a ready plan, in the order they run. */
export const APPLY_PHASES = ['prepare', 'rollout', 'jobs', 'stops', 'invariants', 'revert', 'bookkeeping'] as const;
export type ApplyPhase = (typeof APPLY_PHASES)[number];

export async function applyDeployPlan(deps: DeployDeps, ctx: DeployContext, plan: DeployPlan, options: ApplyOptions, phases: Phases = untracked()): Promise<CommitResult> {
  const { record } = plan;
  const close = (outcome: DeployOutcome, note: string): CommitResult => ({ record: closeRecord(ctx, record, plan.started, outcome, note), reviews: plan.reviews });
  if (plan.assumedFleetBase) ctx.store.setFleetBase(plan.assumedFleetBase);
  switch (plan.kind) {
    case 'refused':
    case 'blocked':
      return close(plan.outcome, plan.note);
    case 'held':
      return close('held', await hold(deps, record, plan.targets, plan.reviews, plan.note));
    case 'nothing-to-do':
      bookkeeping(ctx, plan.sha, plan.targets, record, true);
      return close('nothing-to-do', plan.note);
    case 'preflight-failed':
      record.targets.push(...plan.targets.hosts.map((h) => planned('host', h.host, 'not deployed: pre-flight failed', 'failed')), ...jobNames(plan.targets).map((j) => planned('job', j, 'not deployed: pre-flight failed', 'failed')));
      return close('preflight-failed', plan.note);
    case 'unplannable':
      return close('failed', plan.note);
    case 'ready': {
      const applied = await applyReady(deps, ctx, plan, options, phases);
      if (applied.failedPhase) record.failedPhase = applied.failedPhase;
      return close(applied.outcome, applied.note);
    }
  }
}

interface Applied {
  outcome: DeployOutcome;
  note: string;
  /** The first phase that failed (a target failed or was rolled back, an invariant broke). */
  failedPhase?: ApplyPhase;
}

async function applyReady(deps: DeployDeps, ctx: DeployContext, plan: ReadyPlan, options: ApplyOptions, phases: Phases): Promise<Applied> {
  const { sha, record, targets } = plan;
  const { timings } = record;
  const prepareStarted = performance.now();
  const prepared = await phases.run('prepare', () => prepareHosts(ctx, { hosts: targets.hosts, hostFor: deps.hostFor, baselineFailed: plan.preflight.baselineFailed, classify: classifyOptions(options.config), known: record.reasons }));
  timings.prepareMs = Math.round(performance.now() - prepareStarted);
  record.reasons.push(...prepared.reasons);
  if (prepared.failures.length > 0) {
    record.targets.push(...prepared.failures, ...jobNames(targets).map((j) => planned('job', j, 'not deployed: a host could not be prepared')));
    // Nothing was activated: nothing to roll back, and the commit is not bad (a host was unreachable).
    await phases.run('revert', () => settleFailure(deps, ctx, { phase: 'prepare', sha, record, targets, prepared, broken: [] }));
    return { outcome: 'failed', failedPhase: 'prepare', note: `nothing was activated: ${prepared.failures.map((f) => `${f.name}: ${f.message}`).join('; ')}` };
  }
  const folded = mostSevere(targets.label, prepared.label);
  if (folded === 'risky' && targets.label !== 'risky' && !record.approved && deps.approvals) record.approved = (await deps.approvals.isApproved(sha)).approved;
  if (folded === 'risky' && targets.label !== 'risky' && !record.approved) {
    record.label = folded;
    const note = `the hosts' own dry-activate plans make this change risky: ${prepared.reasons.filter((r) => r.label === 'risky').map((r) => r.message).join('; ')}`;
    return { outcome: 'held', note: await hold(deps, record, targets, plan.reviews, `${note}${deps.approvals ? '' : ' (run with --github to open an approval pull request)'}`) };
  }
  record.label = folded;
  for (const host of targets.hosts) applyFoldedLabel(host, prepared.reasons, options.config);

  const invariantDeps = { ...deps.invariantDeps, hostFor: deps.hostFor };
  const hostsStarted = performance.now();
  const invariantsOn = (host: string) => runInvariants(options.config.invariants, invariantDeps, (i) => i.on === host);
  let rollout = await phases.run('rollout', () => rolloutHosts({ ctx, cluster: deps.cluster, invariantsOn }, { sha, hosts: targets.hosts, prepared: prepared.prepared }));
  // A failed host is diagnosed; an allowed strategy runs once through the same machinery.
  const diagnoses: DiagnosisDecision[] = [];
  const diagnosis = deps.diagnosis;
  const wait = diagnosis?.wait ?? sleep;
  if (rollout.failed && diagnosis) {
    const recovered = await recoverRollout({ ctx, diagnose: diagnosis.diagnose, config: options.config, cluster: deps.cluster, hostFor: deps.hostFor, invariantsOn, journalFor: diagnosis.journalFor, wait }, { sha, hosts: targets.hosts, prepared: prepared.prepared, label: record.label }, rollout);
    rollout = recovered.result;
    diagnoses.push(...recovered.decisions);
  }
  timings.hostsMs = Math.round(performance.now() - hostsStarted);
  record.targets.push(...rollout.records);
  let failedPhase: ApplyPhase | undefined = rollout.failed ? 'rollout' : undefined;
  let bad = rollout.bad ? rollout.outcomes.find((o) => o.bad)?.record : undefined;

  const jobsStarted = performance.now();
  await phases.run('jobs', async () => {
    for (const job of targets.jobs) {
      if (failedPhase) {
        record.targets.push(planned('job', job.job, 'not started: an earlier target failed'));
        continue;
      }
      if (!deps.nomad) {
        record.targets.push(planned('job', job.job, 'no Nomad cluster configured', 'failed'));
        failedPhase = 'jobs';
        continue;
      }
      const jobDeps = { ctx, nomad: deps.nomad, ...(deps.consul ? { consul: deps.consul } : {}), readFile: (file: string) => deps.git.show(sha, file) };
      let outcome = await deployJob(jobDeps, job, sha);
      if (outcome.failed && diagnosis) {
        const nomad = deps.nomad;
        // The revert moved the job on: the retry plans again for a fresh EnforceIndex.
        const redeploy = async () => {
          const hcl = await deps.git.show(sha, job.file);
          const plan = hcl === null ? job.plan : await nomad.planJob(await nomad.parseJob(hcl));
          return deployJob(jobDeps, { ...job, plan }, sha);
        };
        const recovered = await recoverJob({ diagnose: diagnosis.diagnose, runId: ctx.runId, wait }, { sha, label: record.label, job: job.job, outcome, redeploy });
        diagnoses.push(recovered.decision);
        if (recovered.outcome !== outcome) record.targets.push(outcome.record);
        outcome = recovered.outcome;
      }
      record.targets.push(outcome.record);
      if (outcome.failed) failedPhase ??= 'jobs';
      if (outcome.bad && !bad) bad = outcome.record;
    }
  });
  await phases.run('stops', async () => {
    for (const stop of targets.stops) {
      if (failedPhase || !deps.nomad) {
        record.targets.push(planned('job', stop.job, failedPhase ? 'not stopped: an earlier target failed' : 'no Nomad cluster configured', failedPhase ? 'skipped' : 'failed'));
        failedPhase ??= 'stops';
        continue;
      }
      const outcome = await stopJob({ ctx, nomad: deps.nomad }, stop, sha);
      record.targets.push(outcome.record);
      if (outcome.failed) failedPhase ??= 'stops';
    }
  });
  timings.jobsMs = Math.round(performance.now() - jobsStarted);

  let broken: CheckResult[] = [];
  if (!failedPhase) {
    record.invariants = await phases.run('invariants', () => runInvariants(options.config.invariants, invariantDeps));
    // Diagnosed before the revert: a service that was only late is checked once more, nothing undone.
    if (diagnosis && record.invariants.some((c) => !c.ok)) {
      const rechecked = await recheckInvariants({ diagnose: diagnosis.diagnose, runId: ctx.runId, wait }, { sha, label: record.label, broken: record.invariants.filter((c) => !c.ok), rerun: () => runInvariants(options.config.invariants, invariantDeps) });
      diagnoses.push(rechecked.decision);
      if (rechecked.checks) record.invariants = rechecked.checks;
    }
    broken = record.invariants.filter((c) => !c.ok);
    if (broken.length > 0) failedPhase = 'invariants';
  }
  if (failedPhase) {
    const failure: ApplyFailure = { phase: failedPhase, sha, record, targets, prepared, broken, ...(bad ? { bad } : {}) };
    await phases.run('revert', () => settleFailure(deps, ctx, failure));
  }
  if (diagnoses.length > 0) record.diagnoses = diagnoses;
  const succeeded = !failedPhase;
  await phases.run('bookkeeping', () => bookkeeping(ctx, sha, targets, record, succeeded));
  if (failedPhase) {
    const why = record.targets.filter((t) => t.result === 'failed' || t.result === 'rolled-back').map((t) => `${t.kind} ${t.name}: ${t.result}`);
    const invariants = record.invariants.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    const diagnosed = diagnoses.map((d) => renderDiagnosisLine(d));
    return { outcome: 'failed', failedPhase, note: [...why, ...invariants, ...diagnosed].join('; ') || 'a target failed' };
  }
  return { outcome: 'deployed', note: [summarizeTargets(record.targets), ...diagnoses.map((d) => renderDiagnosisLine(d))].join('; ') };
}

/**
 * Everything known when applying a commit failed: the phase, the record so far (each target's
 * result, message and verification checks), the plan, the hosts' previous systems, the broken
 * invariants, and the target whose failure makes the commit bad.
 */
export interface ApplyFailure {
  phase: ApplyPhase;
  sha: string;
  record: CommitRecord;
  targets: TargetPlan;
  prepared: PrepareResult;
  /** The invariants that failed after every target verified (empty otherwise). */
  broken: CheckResult[];
  /** The target that failed verification and was rolled back (the commit is bad because of it). */
  bad?: TargetRecord;
}

/**
 * The one failure point of apply. A target that failed was already rolled back where it failed
 * (the host's guard or previous generation, the job's last stable version); here the commit is
 * recorded bad. A failed invariant after the deploy fails the commit as a whole: it is recorded
 * bad and everything it changed goes back to last good (hosts to their previous system, jobs to
 * their last good version).
 */
export async function settleFailure(deps: DeployDeps, ctx: DeployContext, failure: ApplyFailure): Promise<void> {
  const { sha, record, targets, prepared, broken, bad } = failure;
  if (bad) ctx.store.markBad({ sha, target: `${bad.kind}:${bad.name}`, reason: bad.message });
  if (broken.length === 0) return;
  const reason = `invariant failed after the deploy (${broken.map((c) => `${c.name}: ${c.detail}`).join('; ')})`;
  ctx.store.markBad({ sha, target: broken.map((c) => c.name).join(', '), reason });
  await revertCommit(ctx, {
    sha,
    reason,
    targets: record.targets,
    previousOf: (host) => prepared.prepared.get(host) ?? null,
    baseOf: (kind, name) => (kind === 'host' ? targets.hosts.find((h) => h.host === name)?.base : [...targets.jobs, ...targets.stops].find((j) => j.job === name)?.base) ?? ctx.store.fleetBase() ?? sha,
    ...(deps.nomad ? { nomad: deps.nomad } : {}),
  });
}

/** Held: every target waits; with GitHub, the approval PR is opened or updated. */
async function hold(deps: DeployDeps, record: CommitRecord, targets: TargetPlan, reviews: CommitResult['reviews'], note: string): Promise<string> {
  record.targets.push(...heldTargets(targets));
  if (!deps.approvals) return note;
  const request = await deps.approvals.request(record.head, { label: record.label, reasons: record.reasons, reviews });
  if (request.url) record.approvalUrl = request.url;
  return `${note}; ${request.note}`;
}

/** Targets that are verified (or unchanged, when the run succeeded) move their last good commit to this one. */
function bookkeeping(ctx: DeployContext, sha: string, targets: TargetPlan, record: CommitRecord, succeeded: boolean): void {
  for (const t of record.targets) if (t.result === 'verified' || (t.result === 'deployed' && t.pendingReboot)) ctx.store.setLastGood(t.kind, t.name, sha);
  if (!succeeded) return;
  for (const t of targets.unchanged) ctx.store.setLastGood(t.kind, t.name, sha);
  // Targets left alone (removed, unreachable) keep their own base; the fleet moves on without them.
  if (record.targets.every((t) => t.result !== 'failed' && t.result !== 'rolled-back' && t.result !== 'held')) ctx.store.setFleetBase(sha);
}

/** A host the dry-activate plan showed to need a reboot is activated as such. */
function applyFoldedLabel(host: HostTarget, reasons: Reason[], config: StewardConfig): void {
  const needsReboot = reasons.some((r) => r.label === 'needs-reboot' && r.evidence.some((e) => e.host === host.host));
  if (needsReboot && host.label === 'clean') {
    host.label = 'needs-reboot';
    host.activation = config.hosts[host.host]?.needsReboot ?? config.deploy.needsReboot;
  }
}

function jobNames(targets: TargetPlan): string[] {
  return [...targets.jobs.map((j) => j.job), ...targets.stops.map((j) => j.job)];
}

