// The agent's two deploy actions, both run through Steward's own deploy (lock, review, gate,
// pre-flight, activation under the rollback guard, verification, records): the agent never
// activates anything by itself.
// - redeploy-head: `steward deploy --head <main's head>`. The deploy's gate decides: a risky change
//   stays held for a person (the action is then refused and escalated, never forced).
// - rollback-host: `steward deploy --rollback-to <the host's previous verified commit>`, after a dry
//   run proving that the rollback changes that host and nothing else; otherwise a person decides.
import type { HistoryEntry } from '../../ports/deploy-store.js';
import type { DeployReport } from '../../stages/record/deploy-record.js';
import { mainCommit } from './context/knowledge.js';
import type { SessionEnvironment } from './environment.js';

export interface DeployActionResult {
  /**
   * `held`: the deploy's gate held it for a person (or it would touch more than asked): escalated.
   * `rolled-back`: the deploy activated something, it failed verification, and the deploy rolled it back.
   */
  status: 'succeeded' | 'failed' | 'held' | 'rolled-back';
  detail: string;
}

const STEP_TIMEOUT_MS = 60_000;
const sha12 = (sha: string) => sha.slice(0, 12);
/** A deployment that ended with the target running the commit, verified. */
const RAN = new Set<HistoryEntry['result']>(['deployed', 'verified']);
/** Results of a target that was acted on (activated, or tried and undone). */
const RAN_OR_TRIED = new Set<string>(['deployed', 'verified', 'failed', 'rolled-back']);

export async function redeployHead(env: SessionEnvironment, signal?: AbortSignal): Promise<DeployActionResult> {
  if (!env.deploy || !env.git) return { status: 'failed', detail: 'pre-flight: this Steward has no deploy or repository at hand' };
  const branch = env.config.agent.mainBranch;
  // origin's main first (what `steward serve` fetches), like every other read of main.
  const head = await mainCommit(env.git, branch).catch(() => null);
  if (!head) return { status: 'failed', detail: `pre-flight: ${branch} does not resolve in the repository` };
  const run = await env.deploy.run({ head }, signal);
  const report = run.report;
  const outcome = report?.outcome ?? 'no report';
  const note = lastNote(report) || lastLine(run.output);
  if (outcome === 'held') return { status: 'held', detail: `the deploy's gate held ${sha12(head)} for a person's approval: ${note}` };
  if (run.exitCode !== 0 || !report || (outcome !== 'deployed' && outcome !== 'nothing-to-do')) return { status: rolledBack(report) ? 'rolled-back' : 'failed', detail: `steward deploy --head ${sha12(head)} ended ${outcome} (exit ${run.exitCode ?? 'by a signal'}): ${note}` };
  // Verification is the deploy's own (every activation verified or rolled back); read it back.
  const failed = targetsOf(report).filter((t) => t.result === 'failed' || t.result === 'rolled-back');
  if (report.head !== head || failed.length) return { status: 'failed', detail: `the deploy of ${sha12(head)} did not verify: ${failed.map((t) => `${t.kind} ${t.name} ${t.result}`).join(', ') || `it deployed ${sha12(report.head)}`}` };
  const changed = targetsOf(report).filter((t) => RAN.has(t.result));
  return { status: 'succeeded', detail: `re-ran the deploy of ${branch}'s head ${sha12(head)}: ${outcome}${changed.length ? `; verified: ${changed.map((t) => `${t.kind} ${t.name}`).join(', ')}` : ''}` };
}

/** The commit a host runs now, and the one it verifiably ran before it (its last good generation). */
export function rollbackTargetOf(history: HistoryEntry[], host: string): { current: string; previous: string } | { reason: string } {
  const [first, ...rest] = rollbackCandidates(history, host);
  if (!first) return { reason: `Steward never deployed ${host}: there is no generation of its to go back to` };
  if (!rest[0]) return { reason: `${host} has no verified deployment older than ${sha12(first)}` };
  return { current: first, previous: rest[0] };
}

/** What the host runs now, then the other commits it ran verified, newest first. */
function rollbackCandidates(history: HistoryEntry[], host: string): string[] {
  const ran = history.filter((h) => h.kind === 'host' && h.target === host && RAN.has(h.result)).map((h) => h.sha);
  return [...new Set(ran)];
}

/**
 * The newest verified commit that is a strict ancestor of what the host runs: a host already
 * rolled back from B to A has B in its history too, and "back" must never mean B again.
 */
async function lastGoodAncestor(env: SessionEnvironment, history: HistoryEntry[], host: string): Promise<{ current: string; previous: string } | { reason: string }> {
  const first = rollbackTargetOf(history, host);
  if ('reason' in first) return first;
  if (!env.git) return { reason: 'this Steward has no repository at hand to tell which commit is older' };
  const [current, ...earlier] = rollbackCandidates(history, host);
  for (const sha of earlier) if ((await env.git.mergeBase(sha, current!).catch(() => null)) === sha) return { current: current!, previous: sha };
  return { reason: `${host} has no verified deployment that is an ancestor of ${sha12(current!)}` };
}

export async function rollbackHost(env: SessionEnvironment, host: string, signal?: AbortSignal): Promise<DeployActionResult> {
  if (!env.deploy || !env.deployHistory) return { status: 'failed', detail: 'pre-flight: this Steward has no deploy or deploy history at hand' };
  const target = await lastGoodAncestor(env, env.deployHistory(500), host);
  if ('reason' in target) return { status: 'failed', detail: `pre-flight: ${target.reason}` };
  const { previous, current } = target;
  // Pre-flight: the same deploy as a dry run (review, gate, pre-flight): it must change this host only.
  const plan = await env.deploy.run({ rollbackTo: previous, dryRun: true }, signal);
  // The agent's deploy runs --unattended: its rollback is no person's approval, so a risky one is held.
  if (plan.report?.outcome === 'held') return { status: 'held', detail: `the rollback of ${host} to ${sha12(previous)} is held by the deploy's gate for a person: ${lastNote(plan.report)} (steward deploy --rollback-to ${sha12(previous)})` };
  if (plan.exitCode !== 0 || plan.report?.outcome !== 'planned') return { status: 'failed', detail: `pre-flight: the dry run of the rollback to ${sha12(previous)} ended ${plan.report?.outcome ?? 'with no report'} (exit ${plan.exitCode ?? 'by a signal'}): ${lastNote(plan.report) || lastLine(plan.output)}` };
  const planned = targetsOf(plan.report).map((t) => `${t.kind} ${t.name}`);
  const others = planned.filter((t) => t !== `host ${host}`);
  if (others.length) return { status: 'held', detail: `rolling ${host} back to ${sha12(previous)} would also change ${others.join(', ')}: a person decides (steward deploy --rollback-to ${sha12(previous)})` };
  if (!planned.includes(`host ${host}`)) return { status: 'failed', detail: `pre-flight: rolling back to ${sha12(previous)} changes nothing on ${host}: it already runs that system` };

  const run = await env.deploy.run({ rollbackTo: previous }, signal);
  if (run.report?.outcome === 'held') return { status: 'held', detail: `the rollback of ${host} to ${sha12(previous)} was held by the deploy's gate for a person: ${lastNote(run.report)}` };
  const record = targetsOf(run.report).find((t) => t.kind === 'host' && t.name === host);
  // What ran must be what the dry run showed: this host only (main or the store may have moved since).
  const beyond = targetsOf(run.report).filter((t) => RAN_OR_TRIED.has(t.result) && !(t.kind === 'host' && t.name === host)).map((t) => `${t.kind} ${t.name}`);
  const rebooted = (run.report?.reboots ?? []).filter((t) => t.name !== host).map((t) => `reboot of ${t.name}`);
  if (beyond.length || rebooted.length) return { status: 'failed', detail: `the rollback of ${host} to ${sha12(previous)} touched more than its dry run showed (${[...beyond, ...rebooted].join(', ')}): a person must look` };
  if (run.exitCode !== 0 || !record || !RAN.has(record.result)) {
    return { status: rolledBack(run.report) ? 'rolled-back' : 'failed', detail: `steward deploy --rollback-to ${sha12(previous)} ended ${run.report?.outcome ?? 'with no report'} (exit ${run.exitCode ?? 'by a signal'})${record ? `; ${host}: ${record.result}: ${record.message}` : ''}: ${lastNote(run.report) || lastLine(run.output)}` };
  }
  // Verification beyond the deploy's own: the host answers over a new connection afterwards.
  const diagnostics = env.diagnosticsFor(host);
  const failedUnits = diagnostics ? await diagnostics.failedUnits(STEP_TIMEOUT_MS).catch((e: unknown) => e as Error) : new Error(`no transport to ${host}`);
  if (failedUnits instanceof Error) return { status: 'failed', detail: `rolled ${host} back to ${sha12(previous)}, but it does not answer afterwards: ${failedUnits.message}` };
  return {
    status: 'succeeded',
    detail: `rolled ${host} back from ${sha12(current)} to its last good commit ${sha12(previous)} (${record.action}, verified by the deploy)${failedUnits.length ? `; still failed: ${failedUnits.slice(0, 5).join(', ')}` : '; no failed units'}`,
  };
}

const rolledBack = (report: DeployReport | null) => targetsOf(report).some((t) => t.result === 'rolled-back');
const targetsOf = (report: DeployReport | null) => (report?.commits ?? []).flatMap((c) => c.targets);
const lastNote = (report: DeployReport | null) => (report?.commits.at(-1)?.note ?? '').slice(0, 400);
/** Why a deploy stopped without a report: its error line (a crash ends with Node's version line), else its last. */
const lastLine = (text: string) => {
  const lines = text.trim().split('\n').filter((l) => l.trim());
  return (lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? 'no output').trim().slice(0, 400);
};
