// The deploy record: what a `steward deploy` run did to each target, why, and how it was
// verified. Kept in the state store, printed by `--json` (schema steward.deploy/v1), mirrored to
// GitHub. Versioned so that consumers can rely on its shape.
import { z } from 'zod';
import { DiagnosisDecision } from './deploy-failure.js';
import { Reason } from './evidence.js';
import { Label } from './label.js';

export const DEPLOY_SCHEMA_VERSION = 'steward.deploy/v1';

const sha = z.string().regex(/^[0-9a-f]{40}$/);

/** What happened to one target (the check and the PR comment show the same words). */
export const TargetResult = z.enum(['deployed', 'verified', 'rolled-back', 'held', 'skipped', 'failed']);
export type TargetResult = z.infer<typeof TargetResult>;

export const TargetKind = z.enum(['host', 'job']);
export type TargetKind = z.infer<typeof TargetKind>;

/** One check of the verification table (pre-flight, post-action, invariant). */
export const CheckResult = z
  .object({
    name: z.string(),
    ok: z.boolean(),
    detail: z.string(),
    /** `host node1`, `job miniflux`, or absent for a cluster-wide check. */
    target: z.string().optional(),
  })
  .strict();
export type CheckResult = z.infer<typeof CheckResult>;

export const TargetAction = z.enum(['switch', 'boot', 'reboot', 'register', 'stop', 'none']);
export type TargetAction = z.infer<typeof TargetAction>;

export const TargetRecord = z
  .object({
    kind: TargetKind,
    name: z.string().min(1),
    result: TargetResult,
    action: TargetAction,
    /** The previous toplevel (host) or job version; the target's state before. */
    from: z.string().nullable(),
    /** The new toplevel (host) or job version. */
    to: z.string().nullable(),
    /** One line: what happened and why. */
    message: z.string(),
    /** Activated for the next boot, or activated but its mounts differ: the host waits for a reboot. */
    pendingReboot: z.boolean(),
    verification: z.array(CheckResult),
    durationMs: z.number(),
  })
  .strict();
export type TargetRecord = z.infer<typeof TargetRecord>;

export const DeployOutcome = z.enum([
  /** Every target verified (or unchanged). */
  'deployed',
  'nothing-to-do',
  /** Risky: waiting for a human's approval. */
  'held',
  /** A target failed (and was rolled back where it could be): the commit is recorded as bad. */
  'failed',
  'preflight-failed',
  'build-failed',
  'validation-failed',
  /** The commit failed before and was rolled back: it is not re-applied. */
  'bad-commit',
  /** `--dry-run`: the plan, nothing done. */
  'planned',
  /** Head is older than what a target runs (an ancestor of its last good commit): refused, nothing done. */
  'refused',
]);
export type DeployOutcome = z.infer<typeof DeployOutcome>;

export const Timings = z
  .object({ reviewMs: z.number(), preflightMs: z.number(), prepareMs: z.number(), hostsMs: z.number(), jobsMs: z.number(), totalMs: z.number() })
  .strict();

/** What one commit's deployment did. */
export const CommitRecord = z
  .object({
    head: sha,
    /** The bases the targets were compared with (their last good commits). */
    bases: z.array(sha),
    label: Label,
    reasons: z.array(Reason),
    /** digestChangeSet of each review. */
    digests: z.array(z.string()),
    outcome: DeployOutcome,
    /** Deployed because a human approved exactly this commit. */
    approved: z.boolean(),
    /** `steward deploy --rollback-to`: a human asked for this older commit; last good moved back to it. */
    rollback: z.boolean().optional(),
    approvalUrl: z.string().optional(),
    /** The phase of applying the plan that failed (prepare, rollout, jobs, stops, invariants), when one did. */
    failedPhase: z.string().optional(),
    /** Every failure of this commit, diagnosed: evidence, strategy, validation and outcome. */
    diagnoses: z.array(DiagnosisDecision).optional(),
    targets: z.array(TargetRecord),
    preflight: z.array(CheckResult),
    invariants: z.array(CheckResult),
    note: z.string(),
    timings: Timings,
    startedAt: z.string(),
    finishedAt: z.string(),
  })
  .strict();
export type CommitRecord = z.infer<typeof CommitRecord>;

export const DeployReport = z
  .object({
    schema: z.literal(DEPLOY_SCHEMA_VERSION),
    repo: z.string(),
    head: sha,
    dryRun: z.boolean(),
    outcome: DeployOutcome,
    /** Actions an earlier, interrupted run left unfinished, and how they were settled. */
    recovered: z.array(TargetRecord),
    /** Usually one; an approved ancestor of head is deployed first, on its own. */
    commits: z.array(CommitRecord),
    /** Reboots left pending by earlier runs, done (or still waiting) in this one. */
    reboots: z.array(TargetRecord),
  })
  .strict();
export type DeployReport = z.infer<typeof DeployReport>;

/** The worst outcome decides the run's outcome (and exit code). */
const ORDER: DeployOutcome[] = ['nothing-to-do', 'planned', 'deployed', 'held', 'refused', 'bad-commit', 'validation-failed', 'build-failed', 'preflight-failed', 'failed'];

export function worstOutcome(outcomes: DeployOutcome[]): DeployOutcome {
  return outcomes.reduce<DeployOutcome>((worst, o) => (ORDER.indexOf(o) > ORDER.indexOf(worst) ? o : worst), 'nothing-to-do');
}

export function targetKey(kind: TargetKind, name: string): string {
  return `${kind}:${name}`;
}
