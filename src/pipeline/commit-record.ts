// Building one commit's deploy record: a draft the plan fills (bases, label, reasons, skipped
// targets, pre-flight) and apply completes (targets acted on, invariants), closed by `closeRecord`.
import type { Reason } from '../model/evidence.js';
import type { ReviewReport } from '../model/review.js';
import type { DeployContext } from '../stages/deploy/context.js';
import type { CommitRecord, DeployOutcome, TargetRecord } from '../model/deploy-record.js';

/** What one commit's plan or apply returns: its record and the reviews behind it. */
export interface CommitResult {
  record: CommitRecord;
  reviews: ReviewReport[];
}

/** The part of the run's context reading and recording needs (no lock, no run id). */
export type RecordContext = Pick<DeployContext, 'store' | 'logger' | 'redactor' | 'now'>;

export function draftRecord(ctx: RecordContext, sha: string, input: { approved: boolean; rollback: boolean; unattended?: boolean }): CommitRecord {
  return {
    head: sha,
    bases: [],
    label: 'clean',
    reasons: [],
    digests: [],
    outcome: 'nothing-to-do',
    // A person's --rollback-to approves that commit; an agent's does not (it is held when risky).
    approved: input.approved || (input.rollback && input.unattended !== true),
    ...(input.rollback ? { rollback: true } : {}),
    targets: [],
    preflight: [],
    invariants: [],
    note: '',
    timings: { reviewMs: 0, preflightMs: 0, prepareMs: 0, hostsMs: 0, jobsMs: 0, totalMs: 0 },
    startedAt: ctx.now().toISOString(),
    finishedAt: '',
  };
}

/** Sets the outcome and the (redacted) note, logs the one line, and stops the clock. */
export function closeRecord(ctx: RecordContext, record: CommitRecord, started: number, outcome: DeployOutcome, note: string): CommitRecord {
  record.timings.totalMs = Math.round(performance.now() - started);
  Object.assign(record, { outcome, note: ctx.redactor.redact(record.rollback ? `rollback to ${record.head.slice(0, 12)}: ${note}` : note), finishedAt: ctx.now().toISOString() });
  ctx.logger.info(`${record.head.slice(0, 12)}: ${outcome}: ${note}`);
  return record;
}

export const planned = (kind: 'host' | 'job', name: string, message: string, result: TargetRecord['result'] = 'skipped'): TargetRecord => ({
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

export function dedupeReasons(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.ruleId}\u0000${r.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function summarizeTargets(targets: TargetRecord[]): string {
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.result, (counts.get(t.result) ?? 0) + 1);
  return [...counts.entries()].map(([result, n]) => `${n} ${result}`).join(', ') || 'nothing to do';
}
