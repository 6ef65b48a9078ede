// `steward history`: what was deployed where, and when (pure). `--at` takes a time (ISO 8601, a
// date, `now`, `yesterday`) or an age (`3d`, `12h`, `3 days ago`) and answers with the state of
// every target at that moment: its newest activation that was verified by then.
import { UsageError } from '../../errors.js';
import type { HistoryEntry } from '../../ports/deploy-store.js';

const UNITS: Record<string, number> = { m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000, d: 86_400_000, day: 86_400_000, w: 604_800_000, week: 604_800_000 };

export function parseTimeArg(text: string, now: Date): Date {
  const t = text.trim().toLowerCase();
  if (t === 'now') return now;
  if (t === 'yesterday') return new Date(now.getTime() - UNITS.d!);
  const age = /^(\d+(?:\.\d+)?)\s*(m|min|minutes?|h|hours?|d|days?|w|weeks?)(?:\s+ago)?$/.exec(t);
  if (age) {
    const unit = age[2]!.replace(/s$/, '');
    return new Date(now.getTime() - Number(age[1]) * (UNITS[unit] ?? UNITS[unit[0]!]!));
  }
  // A bare date means its end: "what ran on that day" includes the whole day.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(t) ? new Date(`${t}T23:59:59.999Z`) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--at: cannot read "${text}" as a time (examples: 2025-01-31, 2025-01-31T18:00Z, 3d, "12 hours ago", yesterday)`);
  return date;
}

export interface TargetState {
  kind: HistoryEntry['kind'];
  target: string;
  sha: string;
  to: string | null;
  since: string;
  /** `verified`, or `deployed` (activated, waiting for a reboot). */
  result: HistoryEntry['result'];
}

/**
 * The state of each target at the time the (newest-first) entries were cut at. A reboot is not an
 * activation of its own: it settles the activation that waited for it (same toplevel), verified
 * when the booted system verified, undone when it was rolled back after the boot.
 */
export function stateAt(entries: HistoryEntry[]): TargetState[] {
  const seen = new Map<string, TargetState>();
  const reboots = new Map<string, HistoryEntry>();
  // A later rollback of a commit (e.g. its invariants failed after it verified) undoes that commit's activation.
  const undone = new Set<string>();
  for (const e of entries) {
    const key = `${e.kind}:${e.target}`;
    if (e.result === 'rolled-back' && e.action !== 'reboot') undone.add(`${key}@${e.sha}`);
    if (undone.has(`${key}@${e.sha}`)) continue;
    if (seen.has(key)) continue;
    if (e.action === 'reboot') {
      if (!reboots.has(key)) reboots.set(key, e);
      continue;
    }
    if (e.result !== 'verified' && e.result !== 'deployed') continue;
    const reboot = reboots.get(key);
    const settled = e.result === 'deployed' && reboot !== undefined && reboot.to === e.to ? reboot.result : null;
    if (settled === 'rolled-back') continue;
    seen.set(key, { kind: e.kind, target: e.target, sha: e.sha, to: e.to, since: e.at, result: settled === 'verified' ? 'verified' : e.result });
  }
  return [...seen.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.target.localeCompare(b.target));
}

const short = (p: string | null) => (p ? p.replace(/^\/nix\/store\/([a-z0-9]{8})[a-z0-9]{24}-/, '$1-') : '');

export function renderStateAt(states: TargetState[], at: Date): string {
  if (states.length === 0) return `Nothing had been deployed by ${at.toISOString()}.`;
  const rows = states.map((s) => `${`${s.kind} ${s.target}`.padEnd(24)} ${s.sha.slice(0, 12)}  since ${s.since}  ${s.result === 'deployed' ? '(waiting for a reboot) ' : ''}${s.kind === 'job' ? `version ${s.to ?? '?'}` : short(s.to)}`);
  return [`Deployed at ${at.toISOString()}:`, '', ...rows].join('\n');
}

export function renderHistory(entries: HistoryEntry[]): string {
  if (entries.length === 0) return 'No deploys recorded.';
  return entries.map((e) => `${e.at}  ${`${e.kind} ${e.target}`.padEnd(20)} ${e.sha.slice(0, 12)}  ${e.result.padEnd(11)} ${e.action.padEnd(8)} ${e.message}`).join('\n');
}
