// The diagnosis at the other two failure points: a Nomad job whose deployment failed (already
// reverted by deployJob), and global invariants that fail once every target is deployed (checked
// again BEFORE the commit is reverted: a service that came up late is not a bad commit).
import type { DiagnosisDecision, Strategy } from '../model/deploy-failure.js';
import type { Label } from '../model/label.js';
import type { JobOutcome } from '../stages/deploy/deploy-job.js';
import type { CheckResult } from '../stages/record/deploy-record.js';
import { MAX_RETRY_WAIT_SECONDS, type StrategyPolicy } from '../stages/diagnose/validate-strategy.js';
import { executeStrategy } from './diagnose-execute.js';
import { diagnoseFailure, type DiagnoseDeps } from './diagnose-failure.js';

const notForHosts = async () => ({ ok: false, detail: 'not a host' });

/** Policy facts for a target that is not a host: no reboot, no reorder. */
const jobPolicy = (label: Label): Omit<StrategyPolicy, 'retriesUsed' | 'pendingHosts'> => ({ label, rebootWindowOpen: false, rebootWindowText: 'n/a', hostReboot: null, quorumMember: false, quorumWhole: null, rebootsInFlight: [], maxWaitSeconds: MAX_RETRY_WAIT_SECONDS });

export interface TargetRecoveryDeps {
  diagnose: DiagnoseDeps;
  runId: number;
  wait(ms: number): Promise<void>;
}

/** A failed job: diagnosed; an allowed retry registers the same spec again (re-planned) and watches it. */
export async function recoverJob(deps: TargetRecoveryDeps, input: { sha: string; label: Label; job: string; outcome: JobOutcome; redeploy: () => Promise<JobOutcome> }): Promise<{ outcome: JobOutcome; decision: DiagnosisDecision }> {
  const step = input.outcome.failure ?? { step: 'job-deployment' as const, job: input.job, status: input.outcome.record.result, description: input.outcome.record.message, allocations: [] };
  const diagnosis = await diagnoseFailure(deps.diagnose, { runId: deps.runId, sha: input.sha, step, context: { pendingHosts: [], aliases: {} }, policy: jobPolicy(input.label) });
  let outcome = input.outcome;
  const decision = await retryWith(deps, diagnosis, input.sha, async () => {
    outcome = await input.redeploy();
    return { ok: !outcome.failed, detail: outcome.record.message };
  });
  return { outcome, decision };
}

/** Failed global invariants: diagnosed; an allowed retry checks them again after the wait, nothing redeployed. */
export async function recheckInvariants(deps: TargetRecoveryDeps, input: { sha: string; label: Label; broken: CheckResult[]; rerun: () => Promise<CheckResult[]> }): Promise<{ checks: CheckResult[] | null; decision: DiagnosisDecision; strategy: Strategy }> {
  const diagnosis = await diagnoseFailure(deps.diagnose, { runId: deps.runId, sha: input.sha, step: { step: 'invariant', checks: input.broken }, context: { pendingHosts: [], aliases: {} }, policy: jobPolicy(input.label) });
  let checks: CheckResult[] | null = null;
  const decision = await retryWith(deps, diagnosis, input.sha, async () => {
    checks = await input.rerun();
    const broken = checks.filter((c) => !c.ok);
    return { ok: broken.length === 0, detail: broken.length ? broken.map((c) => `${c.name}: ${c.detail}`).join('; ') : 'every invariant holds now' };
  });
  return { checks, decision, strategy: diagnosis.strategy };
}

/** Runs the chosen strategy where only a retry applies (a job, the invariants): no host machinery. */
function retryWith(deps: TargetRecoveryDeps, diagnosis: Parameters<typeof executeStrategy>[1], sha: string, redeploy: () => Promise<{ ok: boolean; detail: string }>): Promise<DiagnosisDecision> {
  return executeStrategy({ store: deps.diagnose.store, logger: deps.diagnose.logger, machinery: { wait: deps.wait, redeploy, bootAndReboot: notForHosts, deployInOrder: notForHosts } }, diagnosis, sha);
}
