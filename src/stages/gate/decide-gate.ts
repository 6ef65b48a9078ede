// The gate (pure): a failed build or static validation deploys nothing; a risky change waits
// for a human's approval of exactly this commit; anything else goes on (needs-reboot hosts are
// activated with `boot` or `switch` and rebooted per policy: see stages/deploy).
import type { Label } from '../../model/label.js';
import type { ReviewOutcome } from '../../model/review.js';

export type GateDecision =
  | { kind: 'deploy'; note: string }
  | { kind: 'held'; note: string }
  | { kind: 'blocked'; outcome: 'build-failed' | 'validation-failed'; note: string };

export interface GateInput {
  outcomes: ReviewOutcome[];
  label: Label;
  /** A human approved exactly this commit (a merged approval PR). */
  approved: boolean;
  /** Why an approval does not count (stale, rejected), when there was one. */
  approvalNote?: string;
}

export function decideGate(input: GateInput): GateDecision {
  if (input.outcomes.includes('build-failed')) return { kind: 'blocked', outcome: 'build-failed', note: 'the build failed: nothing is deployed' };
  if (input.outcomes.includes('validation-failed')) return { kind: 'blocked', outcome: 'validation-failed', note: 'static validation failed: nothing is deployed' };
  if (input.label === 'risky' && !input.approved) return { kind: 'held', note: `risky: held until a human approves this commit${input.approvalNote ? ` (${input.approvalNote})` : ''}` };
  if (input.label === 'risky') return { kind: 'deploy', note: 'risky, approved by a human: deploying exactly this commit' };
  return { kind: 'deploy', note: input.label === 'needs-reboot' ? 'needs a reboot: activate, then reboot per policy' : 'clean: deploying' };
}
