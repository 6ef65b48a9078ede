// Deploys one commit: review each target against its last good commit, gate, pre-flight,
// prepare the hosts (closure + dry-activate folded into the ChangeSet), roll the hosts out, then
// the Nomad jobs, then check the invariants and record the result. Stops before the first
// change with --dry-run.
import type { StewardConfig } from '../config/schema.js';
import { GitError } from '../errors.js';
import type { Reason } from '../model/evidence.js';
import { digestChangeSet } from '../model/changeset.js';
import { mostSevere } from '../model/label.js';
import type { ReviewReport } from '../model/review.js';
import { decideGate } from '../stages/gate/decide-gate.js';
import { classifyOptions, type DeployDeps } from './deploy-deps.js';
import type { DeployContext } from '../stages/deploy/context.js';
import { deployJob } from '../stages/deploy/deploy-job.js';
import { stopJob } from '../stages/deploy/stop-job.js';
import { planDeploy, type DeployPlan, type HostTarget, type JobTarget } from '../stages/deploy/plan-deploy.js';
import { prepareHosts } from '../stages/deploy/prepare-hosts.js';
import { rolloutHosts } from '../stages/deploy/rollout-hosts.js';
import { short } from '../stages/deploy/rollback-host.js';
import type { CommitRecord, DeployOutcome, TargetRecord } from '../stages/record/deploy-record.js';
import { runInvariants } from '../stages/verify/invariants.js';
import { revertCommit } from '../stages/deploy/revert-commit.js';
import { runPreflight } from '../stages/verify/preflight.js';
import { requireHistory } from '../stages/detect/require-history.js';
import { newerDeployed } from './deploy-direction.js';
import { runReview } from './review.js';

export interface CommitOptions {
  config: StewardConfig;
  dryRun: boolean;
  /** Approved before this run (an approved ancestor deployed first). */
  approved: boolean;
  /** `--rollback-to`: a human asked for exactly this older commit; it may move last good backwards. */
  rollback?: boolean;
  workers?: number;
  noLlmCache?: boolean;
}

export interface CommitResult {
  record: CommitRecord;
  reviews: ReviewReport[];
}

const planned = (kind: 'host' | 'job', name: string, message: string, result: TargetRecord['result'] = 'skipped'): TargetRecord => ({
  kind,
  name,
  result,
  action: 'none',
  from: null,
  to: null,
  message,
  pendingReboot: false,
  verification: [],
  durationMs: 0,
});

export async function deployCommit(deps: DeployDeps, ctx: DeployContext, sha: string, options: CommitOptions): Promise<CommitResult> {
  const started = performance.now();
  const timings = { reviewMs: 0, preflightMs: 0, prepareMs: 0, hostsMs: 0, jobsMs: 0, totalMs: 0 };
  const record: CommitRecord = { head: sha, bases: [], label: 'clean', reasons: [], digests: [], outcome: 'nothing-to-do', approved: options.approved || options.rollback === true, ...(options.rollback ? { rollback: true } : {}), targets: [], preflight: [], invariants: [], note: '', timings, startedAt: ctx.now().toISOString(), finishedAt: '' };
  const done = (outcome: DeployOutcome, note: string, reviews: ReviewReport[] = []): CommitResult => {
    timings.totalMs = Math.round(performance.now() - started);
    Object.assign(record, { outcome, note: ctx.redactor.redact(options.rollback ? `rollback to ${sha.slice(0, 12)}: ${note}` : note), finishedAt: ctx.now().toISOString() });
    ctx.logger.info(`${sha.slice(0, 12)}: ${outcome}: ${note}`);
    return { record, reviews };
  };

  const known = ctx.store.badCommit(sha);
  if (known) return done('bad-commit', `${sha.slice(0, 12)} failed on ${known.target} (${known.at}) and was rolled back: it is not re-applied until a newer commit supersedes it`);
  // A rollback counts as a human's approval of exactly that commit: it must really go back.
  if (options.rollback && !(await newerDeployed(deps.git, ctx.store, sha, true))) {
    return done('refused', `${sha.slice(0, 12)} is not older than what the targets run: --rollback-to only goes back (deploy it with --head)`);
  }
  const newer = options.rollback ? null : await newerDeployed(deps.git, ctx.store, sha);
  if (newer) return done('refused', `${sha.slice(0, 12)} is older than ${newer.sha.slice(0, 12)}, which ${newer.target} runs: refusing to move backwards (steward deploy --rollback-to ${sha.slice(0, 12)} goes back on purpose)`);

  const reviewStarted = performance.now();
  const { reviews, plan } = await reviewTargets(deps, ctx, sha, options);
  timings.reviewMs = Math.round(performance.now() - reviewStarted);
  const reports = [...reviews.values()];
  record.bases = [...reviews.keys()];
  record.digests = reports.map((r) => digestChangeSet(r.changeSet));
  record.label = plan.label;
  record.reasons = dedupe(reports.flatMap((r) => r.verdict.rules.reasons.filter((reason) => reason.ruleId !== 'summary.no-effect' || reports.length === 1)));
  record.targets.push(...plan.skipped);

  let approvalNote: string | undefined;
  if (plan.label === 'risky' && !options.approved && deps.approvals && !options.dryRun) {
    const answer = await deps.approvals.isApproved(sha);
    record.approved = answer.approved;
    approvalNote = answer.note;
  }
  const gate = decideGate({ outcomes: reports.map((r) => r.outcome), label: plan.label, approved: record.approved, ...(approvalNote ? { approvalNote } : {}) });
  if (gate.kind === 'blocked') return done(gate.outcome, gate.note, reports);
  if (gate.kind === 'held') return hold(deps, record, plan, reports, gate.note, options.dryRun).then((note) => done('held', note, reports));
  const unplannable = plan.skipped.filter((t) => t.result === 'failed');
  if (plan.hosts.length === 0 && plan.jobs.length === 0 && plan.stops.length === 0 && unplannable.length === 0) {
    if (!options.dryRun) bookkeeping(ctx, sha, plan, record, true);
    return done('nothing-to-do', plan.skipped.length ? 'no target to deploy' : 'every target is up to date', reports);
  }

  const preflightStarted = performance.now();
  const invariantDeps = { ...deps.invariantDeps, hostFor: deps.hostFor };
  const preflight = await runPreflight(
    { ...deps.cluster, ...invariantDeps, ...(deps.consul ? { consulHealth: deps.consul } : {}) },
    { hosts: plan.hosts.map((h) => deps.hostFor(h.host)).filter((h) => h !== null), dependencies: options.config.deploy.dependencies, invariants: options.config.invariants, needsNomad: plan.jobs.length + plan.stops.length > 0 },
  );
  timings.preflightMs = Math.round(performance.now() - preflightStarted);
  record.preflight = preflight.checks;
  if (options.dryRun) {
    record.targets.push(...plan.hosts.map((h) => planned('host', h.host, describeHostPlan(h))), ...plan.jobs.map((j) => planned('job', j.job, describeJobPlan(j))), ...plan.stops.map((j) => planned('job', j.job, STOP_PLAN)));
    return done('planned', `${gate.note}; pre-flight ${preflight.ok ? 'passes' : 'FAILS'}; dry run: nothing changed`, reports);
  }
  if (!preflight.ok) {
    record.targets.push(...plan.hosts.map((h) => planned('host', h.host, 'not deployed: pre-flight failed', 'failed')), ...jobNames(plan).map((j) => planned('job', j, 'not deployed: pre-flight failed', 'failed')));
    return done('preflight-failed', `pre-flight failed: ${preflight.checks.filter((c) => !c.ok).map((c) => `${c.target ? `${c.target}: ` : ''}${c.name}: ${c.detail}`).join('; ')}`, reports);
  }

  // A job the cluster could not plan (with a healthy cluster: refused by it) stops everything.
  if (unplannable.length > 0) return done('failed', `nothing was deployed: ${unplannable.map((t) => `${t.kind} ${t.name} ${t.message}`).join('; ')}`, reports);

  const prepareStarted = performance.now();
  const prepared = await prepareHosts(ctx, { hosts: plan.hosts, hostFor: deps.hostFor, baselineFailed: preflight.baselineFailed, classify: classifyOptions(options.config), known: record.reasons });
  timings.prepareMs = Math.round(performance.now() - prepareStarted);
  record.reasons.push(...prepared.reasons);
  if (prepared.failures.length > 0) {
    record.targets.push(...prepared.failures, ...jobNames(plan).map((j) => planned('job', j, 'not deployed: a host could not be prepared')));
    return done('failed', `nothing was activated: ${prepared.failures.map((f) => `${f.name}: ${f.message}`).join('; ')}`, reports);
  }
  const folded = mostSevere(plan.label, prepared.label);
  if (folded === 'risky' && plan.label !== 'risky' && !record.approved && deps.approvals) record.approved = (await deps.approvals.isApproved(sha)).approved;
  if (folded === 'risky' && plan.label !== 'risky' && !record.approved) {
    record.label = folded;
    const note = `the hosts' own dry-activate plans make this change risky: ${prepared.reasons.filter((r) => r.label === 'risky').map((r) => r.message).join('; ')}`;
    return hold(deps, record, plan, reports, note, false).then((n) => done('held', n, reports));
  }
  record.label = folded;
  for (const host of plan.hosts) applyFoldedLabel(host, prepared.reasons, options.config);

  const hostsStarted = performance.now();
  const rollout = await rolloutHosts({ ctx, cluster: deps.cluster, invariantsOn: (host) => runInvariants(options.config.invariants, invariantDeps, (i) => i.on === host) }, { sha, hosts: plan.hosts, prepared: prepared.prepared });
  timings.hostsMs = Math.round(performance.now() - hostsStarted);
  record.targets.push(...rollout.records);
  let failed = rollout.failed;
  let bad = rollout.bad ? rollout.outcomes.find((o) => o.bad)?.record : undefined;

  const jobsStarted = performance.now();
  for (const job of plan.jobs) {
    if (failed) {
      record.targets.push(planned('job', job.job, 'not started: an earlier target failed'));
      continue;
    }
    if (!deps.nomad) {
      record.targets.push(planned('job', job.job, 'no Nomad cluster configured', 'failed'));
      failed = true;
      continue;
    }
    const outcome = await deployJob({ ctx, nomad: deps.nomad, ...(deps.consul ? { consul: deps.consul } : {}), readFile: (file) => deps.git.show(sha, file) }, job, sha);
    record.targets.push(outcome.record);
    failed ||= outcome.failed;
    if (outcome.bad && !bad) bad = outcome.record;
  }
  for (const stop of plan.stops) {
    if (failed || !deps.nomad) {
      record.targets.push(planned('job', stop.job, failed ? 'not stopped: an earlier target failed' : 'no Nomad cluster configured', failed ? 'skipped' : 'failed'));
      failed = true;
      continue;
    }
    const outcome = await stopJob({ ctx, nomad: deps.nomad }, stop, sha);
    record.targets.push(outcome.record);
    failed ||= outcome.failed;
  }
  timings.jobsMs = Math.round(performance.now() - jobsStarted);

  if (!failed) {
    record.invariants = await runInvariants(options.config.invariants, invariantDeps);
    const broken = record.invariants.filter((c) => !c.ok);
    if (broken.length > 0) {
      // The invariants are part of the verification: the commit is bad and everything it changed goes back.
      failed = true;
      const reason = `invariant failed after the deploy (${broken.map((c) => `${c.name}: ${c.detail}`).join('; ')})`;
      ctx.store.markBad({ sha, target: broken.map((c) => c.name).join(', '), reason });
      await revertCommit(ctx, {
        sha,
        reason,
        targets: record.targets,
        previousOf: (host) => prepared.prepared.get(host) ?? null,
        baseOf: (kind, name) => (kind === 'host' ? plan.hosts.find((h) => h.host === name)?.base : [...plan.jobs, ...plan.stops].find((j) => j.job === name)?.base) ?? ctx.store.fleetBase() ?? sha,
        ...(deps.nomad ? { nomad: deps.nomad } : {}),
      });
    }
  }
  if (bad) ctx.store.markBad({ sha, target: `${bad.kind}:${bad.name}`, reason: bad.message });
  bookkeeping(ctx, sha, plan, record, !failed);
  if (failed) {
    const why = record.targets.filter((t) => t.result === 'failed' || t.result === 'rolled-back').map((t) => `${t.kind} ${t.name}: ${t.result}`);
    const invariants = record.invariants.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    return done('failed', [...why, ...invariants].join('; ') || 'a target failed', reports);
  }
  return done('deployed', summarize(record.targets), reports);
}

/** Reviews every base the targets are compared with: the fleet base, and each target's own last good commit. */
async function reviewTargets(deps: DeployDeps, ctx: DeployContext, sha: string, options: CommitOptions): Promise<{ reviews: Map<string, ReviewReport>; plan: DeployPlan }> {
  // The very first run assumes the fleet runs head's first parent, and keeps that assumption
  // until a run completes: a failed first deploy must not make the failed commit the base.
  let fleetBase = ctx.store.fleetBase();
  // A shallow clone that lacks a base would make a missing commit look "lost" (or head a root).
  for (const base of new Set([fleetBase, ...ctx.store.lastGoodAll().map((t) => t.sha)])) await requireHistory(deps.git, base, sha);
  if (!fleetBase) {
    fleetBase = (await deps.git.firstParent(sha)) ?? sha;
    if (!options.dryRun) ctx.store.setFleetBase(fleetBase);
  }
  const fleet = fleetBase;
  // A recorded commit that history lost (a force push): its targets fall back to the fleet's base.
  const lost = new Set<string>();
  const baseOf = (kind: 'host' | 'job', name: string) => {
    const own = ctx.store.lastGood(kind, name);
    return own && !lost.has(own) ? own : fleet;
  };
  const bases = [...new Set([fleetBase, ...ctx.store.lastGoodAll().map((t) => t.sha)])].filter((b) => b !== sha);
  const reviews = new Map<string, ReviewReport>();
  for (const base of bases) {
    ctx.logger.info(`reviewing ${base.slice(0, 12)}..${sha.slice(0, 12)}`);
    try {
      const { report } = await runReview(deps, { base, head: sha, exactBase: true, noBuild: false, config: options.config, ...(options.workers ? { workers: options.workers } : {}), ...(options.noLlmCache ? { noLlmCache: true } : {}) });
      reviews.set(base, report);
    } catch (error) {
      if (!(error instanceof GitError) || base === fleet) throw error;
      ctx.logger.warn(`${base.slice(0, 12)} is no longer in the repository (${error.message}): its targets are compared with ${fleet.slice(0, 12)}`);
      lost.add(base);
    }
  }
  // A recorded base no target uses any more (e.g. a removed host's) does not count.
  const plan = planDeploy({ head: sha, reviews, baseOf, config: options.config, reachable: (host) => deps.hostFor(host) !== null });
  const used = new Set([fleetBase, ...plan.hosts.map((h) => h.base), ...plan.jobs.map((j) => j.base), ...plan.stops.map((j) => j.base)]);
  for (const base of [...reviews.keys()]) if (!used.has(base)) reviews.delete(base);
  return { reviews, plan };
}

/** Held: every target waits; with GitHub, the approval PR is opened or updated. */
async function hold(deps: DeployDeps, record: CommitRecord, plan: DeployPlan, reviews: ReviewReport[], note: string, dryRun: boolean): Promise<string> {
  record.targets.push(
    ...plan.hosts.map((h) => planned('host', h.host, `held: ${describeHostPlan(h)} once approved`, 'held')),
    ...plan.jobs.map((j) => planned('job', j.job, `held: ${describeJobPlan(j)} once approved`, 'held')),
    ...plan.stops.map((j) => planned('job', j.job, `held: ${STOP_PLAN} once approved`, 'held')),
  );
  if (!deps.approvals || dryRun) return `${note}${deps.approvals ? '' : ' (run with --github to open an approval pull request)'}`;
  const request = await deps.approvals.request(record.head, { label: record.label, reasons: record.reasons, reviews });
  if (request.url) record.approvalUrl = request.url;
  return `${note}; ${request.note}`;
}

/** Targets that are verified (or unchanged, when the run succeeded) move their last good commit to this one. */
function bookkeeping(ctx: DeployContext, sha: string, plan: DeployPlan, record: CommitRecord, succeeded: boolean): void {
  for (const t of record.targets) if (t.result === 'verified' || (t.result === 'deployed' && t.pendingReboot)) ctx.store.setLastGood(t.kind, t.name, sha);
  if (!succeeded) return;
  for (const t of plan.unchanged) ctx.store.setLastGood(t.kind, t.name, sha);
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

export function describeHostPlan(h: HostTarget): string {
  const reboot = h.label === 'needs-reboot' ? (h.reboot === 'auto' ? ', then reboot per policy' : ', then a manual reboot') : '';
  return `${h.activation} to ${short(h.toplevel)}${reboot}${h.quorum ? ' (quorum member: alone)' : h.batch !== null ? ` (batch ${h.batch})` : ''}`;
}

export function describeJobPlan(j: JobTarget): string {
  const groups = j.plan.groups.map((g) => `${g.group}: ${[g.place && `place ${g.place}`, g.destructiveUpdate && `replace ${g.destructiveUpdate}`, g.inPlaceUpdate && `in-place ${g.inPlaceUpdate}`, g.canary && `canary ${g.canary}`, g.stop && `stop ${g.stop}`].filter(Boolean).join(', ') || 'no change'}`);
  return `register (${j.change.change}, EnforceIndex ${j.plan.jobModifyIndex})${groups.length ? `: ${groups.join('; ')}` : ''}`;
}

const STOP_PLAN = 'stop (removed from the repository; no purge, its versions stay)';

function jobNames(plan: DeployPlan): string[] {
  return [...plan.jobs.map((j) => j.job), ...plan.stops.map((j) => j.job)];
}

function summarize(targets: TargetRecord[]): string {
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.result, (counts.get(t.result) ?? 0) + 1);
  return [...counts.entries()].map(([result, n]) => `${n} ${result}`).join(', ') || 'nothing to do';
}

function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.ruleId}\u0000${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

