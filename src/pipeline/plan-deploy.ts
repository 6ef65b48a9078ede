// The read-only half of deploying one commit: refuse what must not run (a known bad commit, a
// backwards head), review every target against its last good commit, gate, pre-flight. Returns
// the plan, whose kind says what applying it does; `renderDeployPlan` is `--dry-run`'s answer.
// Nothing here changes a host, the cluster or the state store (an approval's answer, read from
// GitHub, is remembered by the gate's own store).
import type { StewardConfig } from '../config/schema.js';
import { GitError } from '../errors.js';
import { digestChangeSet } from '../model/changeset.js';
import type { ReviewReport } from '../model/review.js';
import { requireHistory } from '../stages/detect/require-history.js';
import { short } from '../stages/deploy/rollback-host.js';
import { planTargets, type HostTarget, type JobTarget, type TargetPlan } from '../stages/deploy/plan-targets.js';
import { decideGate } from '../stages/gate/decide-gate.js';
import type { CommitRecord, DeployOutcome, TargetRecord } from '../model/deploy-record.js';
import { runPreflight, type PreflightResult } from '../stages/verify/preflight.js';
import { closeRecord, dedupeReasons, draftRecord, planned, type CommitResult, type RecordContext } from './commit-record.js';
import type { DeployDeps } from './deploy-deps.js';
import { newerDeployed } from './deploy-direction.js';
import { runReview } from './review.js';

export interface PlanOptions {
  config: StewardConfig;
  /** Approved before this run (an approved ancestor deployed first). */
  approved: boolean;
  /** `--rollback-to`: a human asked for exactly this older commit; it may move last good backwards. */
  rollback?: boolean;
  /**
   * Started by an agent session, not a person: a rollback then carries no implicit approval, so a
   * risky one is held at the gate like any other risky change (SPEC: risky waits for a human).
   */
  unattended?: boolean;
  workers?: number;
  noLlmCache?: boolean;
}

interface PlanCommon {
  sha: string;
  /** The draft record: bases, label, reasons, digests, approval, skipped targets, pre-flight. */
  record: CommitRecord;
  reviews: ReviewReport[];
  /** Why the plan is what it is (one line). */
  note: string;
  /** performance.now() when planning began: the record's total time runs from here. */
  started: number;
  /** The very first run assumes the fleet runs head's first parent: apply remembers it. */
  assumedFleetBase: string | null;
}

export type DeployPlan =
  /** Nothing reviewed: a commit that failed before, or a head older than what a target runs. */
  | (PlanCommon & { kind: 'refused'; outcome: 'refused' | 'bad-commit' })
  /** The build or static validation failed. */
  | (PlanCommon & { kind: 'blocked'; outcome: 'build-failed' | 'validation-failed' })
  /** Risky and not approved: every target waits. */
  | (PlanCommon & { kind: 'held'; targets: TargetPlan })
  | (PlanCommon & { kind: 'nothing-to-do'; targets: TargetPlan })
  /** Gate passed; pre-flight decides whether anything may run. */
  | CheckedPlan<'ready'>
  | CheckedPlan<'preflight-failed'>
  | CheckedPlan<'unplannable'>;

interface CheckedPlan<K extends string> extends PlanCommon {
  kind: K;
  targets: TargetPlan;
  preflight: PreflightResult;
  gateNote: string;
}

/** A plan that passed the gate and pre-flight: applying it changes hosts and jobs. */
export type ReadyPlan = CheckedPlan<'ready'>;

/** Reviews `base..head` for one base of the targets (the review pipeline; a canned report in unit tests). */
export type Reviewer = (base: string, head: string) => Promise<ReviewReport>;

export function reviewWith(deps: DeployDeps, options: PlanOptions): Reviewer {
  return async (base, head) => (await runReview(deps, { base, head, exactBase: true, noBuild: false, config: options.config, ...(options.workers ? { workers: options.workers } : {}), ...(options.noLlmCache ? { noLlmCache: true } : {}) })).report;
}

export async function planDeploy(deps: DeployDeps, ctx: RecordContext, sha: string, options: PlanOptions, review: Reviewer = reviewWith(deps, options)): Promise<DeployPlan> {
  const started = performance.now();
  const rollback = options.rollback === true;
  const record = draftRecord(ctx, sha, { approved: options.approved, rollback, unattended: options.unattended === true });
  const common = { sha, record, reviews: [] as ReviewReport[], started, assumedFleetBase: null };

  const known = ctx.store.badCommit(sha);
  if (known) return { ...common, kind: 'refused', outcome: 'bad-commit', note: `${sha.slice(0, 12)} failed on ${known.target} (${known.at}) and was rolled back: it is not re-applied until a newer commit supersedes it` };
  // A person's rollback counts as their approval of exactly that commit: it must really go back.
  if (rollback && !(await newerDeployed(deps.git, ctx.store, sha, true))) {
    return { ...common, kind: 'refused', outcome: 'refused', note: `${sha.slice(0, 12)} is not older than what the targets run: --rollback-to only goes back (deploy it with --head)` };
  }
  const newer = rollback ? null : await newerDeployed(deps.git, ctx.store, sha);
  if (newer) return { ...common, kind: 'refused', outcome: 'refused', note: `${sha.slice(0, 12)} is older than ${newer.sha.slice(0, 12)}, which ${newer.target} runs: refusing to move backwards (steward deploy --rollback-to ${sha.slice(0, 12)} goes back on purpose)` };

  const reviewStarted = performance.now();
  const { reviews, targets, assumedFleetBase } = await reviewTargets(deps, ctx, sha, options.config, review);
  record.timings.reviewMs = Math.round(performance.now() - reviewStarted);
  const reports = [...reviews.values()];
  record.bases = [...reviews.keys()];
  record.digests = reports.map((r) => digestChangeSet(r.changeSet));
  record.label = targets.label;
  record.reasons = dedupeReasons(reports.flatMap((r) => r.verdict.rules.reasons.filter((reason) => reason.ruleId !== 'summary.no-effect' || reports.length === 1)));
  record.targets.push(...targets.skipped);
  const reviewed = { ...common, reviews: reports, assumedFleetBase, targets };

  let approvalNote: string | undefined;
  if (targets.label === 'risky' && !options.approved && deps.approvals) {
    const answer = await deps.approvals.isApproved(sha);
    record.approved = answer.approved;
    approvalNote = answer.note;
  }
  const gate = decideGate({ outcomes: reports.map((r) => r.outcome), label: targets.label, approved: record.approved, ...(approvalNote ? { approvalNote } : {}) });
  if (gate.kind === 'blocked') return { ...reviewed, kind: 'blocked', outcome: gate.outcome, note: gate.note };
  if (gate.kind === 'held') return { ...reviewed, kind: 'held', note: `${gate.note}${deps.approvals ? '' : ' (run with --github to open an approval pull request)'}` };
  const unplannable = targets.skipped.filter((t) => t.result === 'failed');
  if (targets.hosts.length === 0 && targets.jobs.length === 0 && targets.stops.length === 0 && unplannable.length === 0) {
    return { ...reviewed, kind: 'nothing-to-do', note: targets.skipped.length ? 'no target to deploy' : 'every target is up to date' };
  }

  const preflightStarted = performance.now();
  const preflight = await runPreflight(
    { ...deps.cluster, ...deps.invariantDeps, hostFor: deps.hostFor, ...(deps.consul ? { consulHealth: deps.consul } : {}) },
    { hosts: targets.hosts.map((h) => deps.hostFor(h.host)).filter((h) => h !== null), dependencies: options.config.deploy.dependencies, invariants: options.config.invariants, needsNomad: targets.jobs.length + targets.stops.length > 0 },
  );
  record.timings.preflightMs = Math.round(performance.now() - preflightStarted);
  record.preflight = preflight.checks;
  const ready = { ...reviewed, preflight, gateNote: gate.note };
  if (!preflight.ok) {
    return { ...ready, kind: 'preflight-failed', note: `pre-flight failed: ${preflight.checks.filter((c) => !c.ok).map((c) => `${c.target ? `${c.target}: ` : ''}${c.name}: ${c.detail}`).join('; ')}` };
  }
  // A job the cluster could not plan (with a healthy cluster: refused by it) stops everything.
  if (unplannable.length > 0) return { ...ready, kind: 'unplannable', note: `nothing was deployed: ${unplannable.map((t) => `${t.kind} ${t.name} ${t.message}`).join('; ')}` };
  return { ...ready, kind: 'ready', note: gate.note };
}

/** The plan as `--dry-run` answers it: what would be done, and nothing done. */
export function renderDeployPlan(ctx: RecordContext, plan: DeployPlan): CommitResult {
  const { record } = plan;
  const close = (outcome: DeployOutcome, note: string) => ({ record: closeRecord(ctx, record, plan.started, outcome, note), reviews: plan.reviews });
  switch (plan.kind) {
    case 'refused':
    case 'blocked':
      return close(plan.outcome, plan.note);
    case 'held':
      record.targets.push(...heldTargets(plan.targets));
      return close('held', plan.note);
    case 'nothing-to-do':
      return close('nothing-to-do', plan.note);
    default: {
      const { targets } = plan;
      record.targets.push(...targets.hosts.map((h) => planned('host', h.host, describeHostPlan(h))), ...targets.jobs.map((j) => planned('job', j.job, describeJobPlan(j))), ...targets.stops.map((j) => planned('job', j.job, STOP_PLAN)));
      return close('planned', `${plan.gateNote}; pre-flight ${plan.preflight.ok ? 'passes' : 'FAILS'}; dry run: nothing changed`);
    }
  }
}

/** Every target of a held commit, as waiting for the approval. */
export function heldTargets(targets: TargetPlan): TargetRecord[] {
  return [
    ...targets.hosts.map((h) => planned('host', h.host, `held: ${describeHostPlan(h)} once approved`, 'held')),
    ...targets.jobs.map((j) => planned('job', j.job, `held: ${describeJobPlan(j)} once approved`, 'held')),
    ...targets.stops.map((j) => planned('job', j.job, `held: ${STOP_PLAN} once approved`, 'held')),
  ];
}

/** Reviews every base the targets are compared with: the fleet base, and each target's own last good commit. */
async function reviewTargets(deps: DeployDeps, ctx: RecordContext, sha: string, config: StewardConfig, review: Reviewer): Promise<{ reviews: Map<string, ReviewReport>; targets: TargetPlan; assumedFleetBase: string | null }> {
  // The very first run assumes the fleet runs head's first parent, and keeps that assumption
  // until a run completes: a failed first deploy must not make the failed commit the base.
  const recordedFleetBase = ctx.store.fleetBase();
  // A shallow clone that lacks a base would make a missing commit look "lost" (or head a root).
  for (const base of new Set([recordedFleetBase, ...ctx.store.lastGoodAll().map((t) => t.sha)])) await requireHistory(deps.git, base, sha);
  const fleet = recordedFleetBase ?? (await deps.git.firstParent(sha)) ?? sha;
  // A recorded commit that history lost (a force push): its targets fall back to the fleet's base.
  const lost = new Set<string>();
  const baseOf = (kind: 'host' | 'job', name: string) => {
    const own = ctx.store.lastGood(kind, name);
    return own && !lost.has(own) ? own : fleet;
  };
  const bases = [...new Set([fleet, ...ctx.store.lastGoodAll().map((t) => t.sha)])].filter((b) => b !== sha);
  const reviews = new Map<string, ReviewReport>();
  for (const base of bases) {
    ctx.logger.info(`reviewing ${base.slice(0, 12)}..${sha.slice(0, 12)}`);
    try {
      reviews.set(base, await review(base, sha));
    } catch (error) {
      if (!(error instanceof GitError) || base === fleet) throw error;
      ctx.logger.warn(`${base.slice(0, 12)} is no longer in the repository (${error.message}): its targets are compared with ${fleet.slice(0, 12)}`);
      lost.add(base);
    }
  }
  // A recorded base no target uses any more (e.g. a removed host's) does not count.
  const targets = planTargets({ head: sha, reviews, baseOf, config, reachable: (host) => deps.hostFor(host) !== null });
  const used = new Set([fleet, ...targets.hosts.map((h) => h.base), ...targets.jobs.map((j) => j.base), ...targets.stops.map((j) => j.base)]);
  for (const base of [...reviews.keys()]) if (!used.has(base)) reviews.delete(base);
  return { reviews, targets, assumedFleetBase: recordedFleetBase ? null : fleet };
}

export function describeHostPlan(h: HostTarget): string {
  const reboot = h.label === 'needs-reboot' ? (h.reboot === 'auto' ? ', then reboot per policy' : ', then a manual reboot') : '';
  return `${h.activation} to ${short(h.toplevel)}${reboot}${h.quorum ? ' (quorum member: alone)' : h.batch !== null ? ` (batch ${h.batch})` : ''}`;
}

export function describeJobPlan(j: JobTarget): string {
  const groups = j.plan.groups.map((g) => `${g.group}: ${[g.place && `place ${g.place}`, g.destructiveUpdate && `replace ${g.destructiveUpdate}`, g.inPlaceUpdate && `in-place ${g.inPlaceUpdate}`, g.canary && `canary ${g.canary}`, g.stop && `stop ${g.stop}`].filter(Boolean).join(', ') || 'no change'}`);
  return `register (${j.change.change}, EnforceIndex ${j.plan.jobModifyIndex})${groups.length ? `: ${groups.join('; ')}` : ''}`;
}

export const STOP_PLAN = 'stop (removed from the repository; no purge, its versions stay)';
