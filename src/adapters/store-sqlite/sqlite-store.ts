// The deploy state store on SQLite (better-sqlite3): one file, WAL journal, FULL sync, so that a
// write is on disk when the call returns and a killed process loses nothing it recorded.
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { ApprovalRecord, type ApprovalState } from '../../ports/approval-store.js';
import type { ActionRow, ActionStart, BadCommit, DeployStore, HistoryEntry, LockHolder, LockOptions, LockResult, PendingReboot } from '../../ports/deploy-store.js';
import { CommitRecord, TargetKind, type TargetRecord } from '../../model/deploy-record.js';
import { isStale, pidAlive } from './lock.js';
import { openStateDatabase } from './open-state-database.js';

export interface SqliteStoreOptions {
  /** `:memory:` for tests that need no second process. */
  file: string;
  now?: () => Date;
  hostname?: string;
  pidAlive?: (pid: number) => boolean;
}

const LOCK = 'deploy';
const Json = z.record(z.string(), z.unknown());
const parseJson = (text: string | null): Record<string, unknown> => (text ? Json.parse(JSON.parse(text)) : {});

export class SqliteDeployStore implements DeployStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;

  constructor(private readonly options: SqliteStoreOptions) {
    this.db = openStateDatabase(options.file);
    this.now = options.now ?? (() => new Date());
  }

  private iso(): string {
    return this.now().toISOString();
  }

  // ---- lock -------------------------------------------------------------------------------------

  async acquireLock(holder: Omit<LockHolder, 'acquiredAt' | 'heartbeatAt'>, options: LockOptions): Promise<LockResult> {
    const deadline = Date.now() + options.waitMs;
    for (;;) {
      const result = this.tryLock(holder, options.staleMs);
      if (result.acquired || Date.now() >= deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 200, Math.max(1, deadline - Date.now()))));
    }
  }

  private tryLock(holder: Omit<LockHolder, 'acquiredAt' | 'heartbeatAt'>, staleMs: number): LockResult {
    return this.db
      .transaction((): LockResult => {
        const row = this.db.prepare('SELECT * FROM lock WHERE name = ?').get(LOCK) as Record<string, unknown> | undefined;
        const current = row ? toHolder(row) : null;
        const live = { hostname: this.options.hostname ?? os.hostname(), now: this.now().getTime(), pidAlive: this.options.pidAlive ?? pidAlive };
        if (current && current.owner !== holder.owner && !isStale(current, staleMs, live)) return { acquired: false, holder: current };
        const at = this.iso();
        this.db
          .prepare('INSERT OR REPLACE INTO lock (name, owner, pid, hostname, command, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(LOCK, holder.owner, holder.pid, holder.hostname, holder.command, at, at);
        return { acquired: true, tookOverFrom: current && current.owner !== holder.owner ? current : null };
      })
      .immediate();
  }

  heartbeat(owner: string): void {
    this.db.prepare('UPDATE lock SET heartbeat_at = ? WHERE name = ? AND owner = ?').run(this.iso(), LOCK, owner);
  }

  lockHolder(): LockHolder | null {
    const row = this.db.prepare('SELECT * FROM lock WHERE name = ?').get(LOCK) as Record<string, unknown> | undefined;
    return row ? toHolder(row) : null;
  }

  releaseLock(owner: string): void {
    this.db.prepare('DELETE FROM lock WHERE name = ? AND owner = ?').run(LOCK, owner);
  }

  // ---- runs and actions ---------------------------------------------------------------------------

  startRun(input: { head: string; dryRun: boolean }): number {
    return Number(this.db.prepare('INSERT INTO runs (head, dry_run, started_at) VALUES (?, ?, ?)').run(input.head, input.dryRun ? 1 : 0, this.iso()).lastInsertRowid);
  }

  finishRun(runId: number, commits: CommitRecord[]): void {
    this.db.prepare('UPDATE runs SET finished_at = ?, commits_json = ? WHERE id = ?').run(this.iso(), JSON.stringify(commits), runId);
  }

  beginAction(start: ActionStart): number {
    const info = this.db
      .prepare('INSERT INTO actions (run_id, kind, target, sha, action, from_state, to_state, detail_json, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(start.runId, start.kind, start.target, start.sha, start.action, start.from, start.to, JSON.stringify(start.detail), this.iso());
    return Number(info.lastInsertRowid);
  }

  stepAction(actionId: number, step: string, detail: Record<string, unknown> = {}): void {
    this.db
      .prepare('INSERT INTO action_steps (action_id, seq, step, at, detail_json) VALUES (?, (SELECT COUNT(*) FROM action_steps WHERE action_id = ?), ?, ?, ?)')
      .run(actionId, actionId, step, this.iso(), JSON.stringify(detail));
  }

  finishAction(actionId: number, outcome: TargetRecord): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT run_id, sha FROM actions WHERE id = ?').get(actionId) as { run_id: number; sha: string } | undefined;
      if (!row) throw new Error(`no action ${actionId}`);
      const at = this.iso();
      this.db.prepare('UPDATE actions SET finished_at = ?, result = ?, outcome_json = ? WHERE id = ?').run(at, outcome.result, JSON.stringify(outcome), actionId);
      this.db
        .prepare('INSERT INTO history (run_id, kind, target, sha, result, action, from_state, to_state, message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(row.run_id, outcome.kind, outcome.name, row.sha, outcome.result, outcome.action, outcome.from, outcome.to, outcome.message, at);
    })();
  }

  incompleteActions(): ActionRow[] {
    const rows = this.db.prepare('SELECT * FROM actions WHERE finished_at IS NULL ORDER BY id').all() as Record<string, unknown>[];
    return rows.map((r) => ({
      id: Number(r.id),
      runId: Number(r.run_id),
      kind: TargetKind.parse(r.kind),
      target: String(r.target),
      sha: String(r.sha),
      action: String(r.action),
      from: (r.from_state as string | null) ?? null,
      to: (r.to_state as string | null) ?? null,
      detail: parseJson(r.detail_json as string),
      startedAt: String(r.started_at),
      steps: (this.db.prepare('SELECT step, at, detail_json FROM action_steps WHERE action_id = ? ORDER BY seq').all(r.id) as Record<string, unknown>[]).map((s) => ({
        step: String(s.step),
        at: String(s.at),
        detail: parseJson(s.detail_json as string),
      })),
    }));
  }

  // ---- targets, bad commits, reboots -----------------------------------------------------------

  lastGood(kind: TargetKind, name: string): string | null {
    const row = this.db.prepare('SELECT last_good FROM targets WHERE kind = ? AND name = ?').get(kind, name) as { last_good: string } | undefined;
    return row?.last_good ?? null;
  }

  setLastGood(kind: TargetKind, name: string, sha: string): void {
    this.db.prepare('INSERT OR REPLACE INTO targets (kind, name, last_good, at) VALUES (?, ?, ?, ?)').run(kind, name, sha, this.iso());
  }

  lastGoodAll(): Array<{ kind: TargetKind; name: string; sha: string }> {
    return (this.db.prepare('SELECT kind, name, last_good FROM targets ORDER BY kind, name').all() as Record<string, string>[]).map((r) => ({ kind: TargetKind.parse(r.kind), name: String(r.name), sha: String(r.last_good) }));
  }

  fleetBase(): string | null {
    return (this.db.prepare("SELECT value FROM meta WHERE key = 'fleet_base'").get() as { value: string } | undefined)?.value ?? null;
  }

  setFleetBase(sha: string): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('fleet_base', ?)").run(sha);
  }

  markBad(bad: Omit<BadCommit, 'at'>): void {
    this.db.prepare('INSERT OR IGNORE INTO bad_commits (sha, target, reason, at) VALUES (?, ?, ?, ?)').run(bad.sha, bad.target, bad.reason, this.iso());
  }

  badCommit(sha: string): BadCommit | null {
    return (this.db.prepare('SELECT sha, target, reason, at FROM bad_commits WHERE sha = ?').get(sha) as BadCommit | undefined) ?? null;
  }

  pendingReboots(): PendingReboot[] {
    return this.db.prepare('SELECT host, toplevel, previous, sha, since FROM pending_reboots ORDER BY host').all() as PendingReboot[];
  }

  setPendingReboot(reboot: Omit<PendingReboot, 'since'>): void {
    this.db.prepare('INSERT OR REPLACE INTO pending_reboots (host, toplevel, previous, sha, since) VALUES (?, ?, ?, ?, ?)').run(reboot.host, reboot.toplevel, reboot.previous, reboot.sha, this.iso());
  }

  clearPendingReboot(host: string): void {
    this.db.prepare('DELETE FROM pending_reboots WHERE host = ?').run(host);
  }

  // ---- reading back ------------------------------------------------------------------------------

  history(filter: { target?: string; at?: Date; limit?: number }): HistoryEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.target) {
      const [kind, name] = filter.target.includes(':') ? filter.target.split(':', 2) : [null, filter.target];
      where.push(kind ? 'kind = ? AND target = ?' : 'target = ?');
      args.push(...(kind ? [kind, name] : [name]));
    }
    if (filter.at) {
      where.push('at <= ?');
      args.push(filter.at.toISOString());
    }
    const sql = `SELECT * FROM history ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, filter.limit ?? 1000) as Record<string, unknown>[]).map((r) => ({
      runId: Number(r.run_id),
      kind: TargetKind.parse(r.kind),
      target: String(r.target),
      sha: String(r.sha),
      result: r.result as HistoryEntry['result'],
      action: r.action as HistoryEntry['action'],
      from: (r.from_state as string | null) ?? null,
      to: (r.to_state as string | null) ?? null,
      message: String(r.message),
      at: String(r.at),
    }));
  }

  commitRecords(filter: { limit?: number }): Array<CommitRecord & { runId: number }> {
    const rows = this.db.prepare('SELECT id, commits_json FROM runs WHERE commits_json IS NOT NULL ORDER BY id DESC LIMIT ?').all(filter.limit ?? 100) as { id: number; commits_json: string }[];
    return rows.flatMap((row) => z.array(CommitRecord).parse(JSON.parse(row.commits_json)).map((c) => ({ ...c, runId: row.id })));
  }

  // ---- approvals (the ApprovalStore port) ---------------------------------------------------------

  async get(sha: string): Promise<ApprovalRecord | null> {
    const row = this.db.prepare('SELECT sha, state, pr, at, note FROM approvals WHERE sha = ?').get(sha) as Record<string, unknown> | undefined;
    return row ? toApproval(row) : null;
  }

  async put(record: ApprovalRecord): Promise<void> {
    const r = ApprovalRecord.parse(record);
    this.db.prepare('INSERT OR REPLACE INTO approvals (sha, state, pr, at, note) VALUES (?, ?, ?, ?, ?)').run(r.sha, r.state, r.pr, r.at, r.note ?? null);
  }

  async approvals(states: ApprovalState[]): Promise<ApprovalRecord[]> {
    const rows = this.db.prepare(`SELECT sha, state, pr, at, note FROM approvals WHERE state IN (${states.map(() => '?').join(',') || "''"}) ORDER BY at`).all(...states) as Record<string, unknown>[];
    return rows.map(toApproval);
  }

  close(): void {
    this.db.close();
  }
}

function toHolder(row: Record<string, unknown>): LockHolder {
  return {
    owner: String(row.owner),
    pid: Number(row.pid),
    hostname: String(row.hostname),
    command: String(row.command),
    acquiredAt: String(row.acquired_at),
    heartbeatAt: String(row.heartbeat_at),
  };
}

function toApproval(row: Record<string, unknown>): ApprovalRecord {
  return ApprovalRecord.parse({ sha: row.sha, state: row.state, pr: row.pr ?? null, at: row.at, ...(row.note ? { note: row.note } : {}) });
}

/** $XDG_STATE_HOME/steward/state.db (~/.local/state/steward/state.db). */
export function defaultStateFile(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state'), 'steward', 'state.db');
}
