// `steward history --actions`: every action record of the agent, and each action class's track
// record (the evidence a person uses to raise the class's autonomy).
import { ACTION_CLASSES } from '../../config/schema.js';
import type { ActionRecord, ActionStatus } from '../../ports/session-store.js';

export type ClassRecord = Record<ActionStatus, number>;

const STATUSES: ActionStatus[] = ['proposed', 'approved', 'rejected', 'refused', 'running', 'succeeded', 'failed', 'rolled-back'];

export function summariseActions(records: ActionRecord[]): Record<string, ClassRecord> {
  const out: Record<string, ClassRecord> = {};
  for (const cls of [...ACTION_CLASSES, ...records.map((r) => r.actionClass)]) out[cls] ??= Object.fromEntries(STATUSES.map((s) => [s, 0])) as ClassRecord;
  for (const r of records) {
    const counts = out[r.actionClass]!;
    counts[r.status] += 1;
    // A decided proposal counts as proposed and as the person's decision, whatever ran after.
    if (r.decision) {
      counts.proposed += 1;
      if (r.status !== r.decision) counts[r.decision] += 1;
    }
  }
  return out;
}

export function renderActionHistory(records: ActionRecord[], autonomy: Record<string, string>): string {
  const summary = summariseActions(records);
  const lines = ['Action classes (autonomy: record)', ''];
  for (const [cls, counts] of Object.entries(summary)) {
    const record = STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ') || 'no record yet';
    lines.push(`  ${cls.padEnd(14)} ${(autonomy[cls] ?? 'observe').padEnd(8)} ${record}`);
  }
  lines.push('', records.length ? 'Actions, newest first' : 'No action was requested yet.');
  for (const r of records) lines.push(`  #${r.id} ${r.requestedAt} ${r.actionClass} ${r.target} ${r.status}: ${r.detail} (session ${r.sessionId})`);
  return lines.join('\n');
}
