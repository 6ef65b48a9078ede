// A failed deploy step, typed: which step failed on which target, the signature that names the
// kind of failure, and the evidence it was read from. The diagnosis stage builds it; the strategy
// choice, the validator, the records and the reports read it.
import { z } from 'zod';
import { Evidence } from './evidence.js';

/** The fixed set of what Steward may do after a failure; nothing outside it ever runs. */
export const STRATEGIES = ['boot-and-reboot', 'retry-after-wait', 'reorder-hosts', 'rollback-and-escalate'] as const;
export const Strategy = z.enum(STRATEGIES);
export type Strategy = z.infer<typeof Strategy>;

/** Where in the deploy the failure happened. */
export const FailureStep = z.enum(['connection', 'activation', 'confirmation', 'verification', 'invariant', 'job-deployment']);
export type FailureStep = z.infer<typeof FailureStep>;

/**
 * Built-in signatures (src/stages/diagnose/failure-signature.ts reads them from the evidence).
 * A knowledge document may name more (`repo.<topic>`), matched by a pattern on the evidence.
 */
export const BUILTIN_SIGNATURES = [
  /** A mount the switch could not remount live ("target is busy", NFS/CIFS options a remount refuses). */
  'mount.remount-refused',
  /** A unit failed on switch because the old one still held its port ("Address already in use"). */
  'switch.port-handover',
  /** A unit failed because something it needs was not up yet (connection refused, name resolution). */
  'unit.dependency-not-ready',
  /** A unit failed because it needs a host this rollout has not reached yet. */
  'unit.dependency-order',
  /** Exit 4 with no cause Steward recognises. */
  'switch.units-failed',
  /** Exit 2: the activation script failed. */
  'switch.activation-script-failed',
  /** Exit 1: switch inhibitors changed (critical components: only a reboot may apply them). */
  'switch.inhibited',
  /** Exit 1 otherwise: a pre-switch check or the bootloader installation failed. */
  'switch.pre-switch-failed',
  /** The switch ran past the activation timeout. */
  'switch.timeout',
  /** The host could not be reached before anything ran on it. */
  'host.unreachable',
  /** The host could not be reached over a new connection after the switch: the change cut access. */
  'host.lost-access',
  /** Post-action verification failed (wrong system running, new failed units after exit 0). */
  'verification.failed',
  /** An invariant failed because a service was not answering yet (connection refused, 502/503). */
  'invariant.not-ready',
  /** An invariant failed otherwise. */
  'invariant.failed',
  /** A Nomad deployment failed because a service its tasks need was not ready. */
  'nomad.dependency-not-ready',
  /** A Nomad task could not pull its image. */
  'nomad.image-pull-failed',
  /** A Nomad task crashed, was OOM-killed, or a deployment failed otherwise. */
  'nomad.deployment-failed',
  /** Nothing recognisable. */
  'unknown',
] as const;
export type BuiltinSignature = (typeof BUILTIN_SIGNATURES)[number];

/** A signature id: a built-in one, or one a knowledge document defines (`repo.<kebab-case>`). */
export const SignatureId = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/, 'a signature id like mount.remount-refused');

export const DeployFailure = z
  .object({
    signature: SignatureId,
    step: FailureStep,
    target: z.object({ kind: z.enum(['host', 'job', 'invariant']), name: z.string().min(1) }).strict(),
    /** One line: what failed and why, as read from the evidence. */
    summary: z.string(),
    evidence: z.array(Evidence),
    /** Other hosts the evidence points at (a dependency this rollout has not reached yet). */
    dependsOn: z.array(z.string()).default([]),
  })
  .strict();
export type DeployFailure = z.infer<typeof DeployFailure>;

/** What Steward decided about one failure, and how it ended: recorded in `history` and reported. */
export const DiagnosisDecision = z
  .object({
    failure: DeployFailure,
    /** The failure's signature after the knowledge's custom matching. */
    signature: SignatureId,
    /** What was chosen (by the knowledge, by default, or by Claude Code) before validation. */
    proposed: Strategy,
    chosenBy: z.enum(['knowledge', 'no-knowledge', 'llm']),
    why: z.string(),
    /** The knowledge document the mapping came from. */
    source: z.string().optional(),
    /** A knowledge document maps this signature (false: nothing knew it; a resolution is worth learning). */
    knownSignature: z.boolean(),
    /** What runs: the proposal when the validator allowed it, else rollback-and-escalate. */
    strategy: Strategy,
    /** Why the validator refused the proposal. */
    refused: z.string().optional(),
    outcome: z.enum(['pending', 'verified', 'escalated', 'failed']),
    /** One line: what the strategy did and how it was verified, or why it escalated. */
    detail: z.string(),
  })
  .strict();
export type DiagnosisDecision = z.infer<typeof DiagnosisDecision>;
