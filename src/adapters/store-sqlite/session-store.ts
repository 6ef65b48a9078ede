// The agent's records on SQLite, in the same state file as the deploy records (its own connection,
// so `steward mcp` in its own process records tool calls and actions beside the runner).
import Database from 'better-sqlite3';
import type { ActionRecord, ActionStatus, SessionStore, ToolCallRecord } from '../../ports/session-store.js';
import type { SessionRecord } from '../../ports/session-runner.js';
import { openStateDatabase } from './open-state-database.js';

const EXECUTED: ActionStatus[] = ['running', 'succeeded', 'failed', 'rolled-back'];

export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;

  constructor(options: { file: string; now?: () => Date }) {
    this.db = openStateDatabase(options.file);
    this.now = options.now ?? (() => new Date());
  }

  markSessionStarted(id: string, incidentKey: string | null, startedAt: string): void {
    this.db.prepare('INSERT OR IGNORE INTO agent_sessions (id, incident_key, started_at) VALUES (?, ?, ?)').run(id, incidentKey, startedAt);
  }

  saveSession(record: SessionRecord): void {
    const incidentKey = record.trigger.kind === 'incident' ? record.trigger.incidentKey : null;
    this.db
      .prepare(
        `INSERT INTO agent_sessions (id, incident_key, started_at, finished_at, record_json) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET finished_at = excluded.finished_at, record_json = excluded.record_json`,
      )
      .run(record.id, incidentKey, record.startedAt, record.finishedAt, JSON.stringify(record));
  }

  sessions(filter: { limit?: number }): SessionRecord[] {
    const rows = this.db.prepare('SELECT record_json FROM agent_sessions WHERE record_json IS NOT NULL ORDER BY started_at DESC, rowid DESC LIMIT ?').all(filter.limit ?? 50) as { record_json: string }[];
    return rows.map((r) => JSON.parse(r.record_json) as SessionRecord);
  }

  openSessionFor(incidentKey: string, since: Date): string | null {
    const row = this.db.prepare('SELECT id FROM agent_sessions WHERE incident_key = ? AND finished_at IS NULL AND started_at >= ?').get(incidentKey, since.toISOString()) as { id: string } | undefined;
    return row?.id ?? null;
  }

  recordAction(input: Omit<ActionRecord, 'id' | 'requestedAt' | 'finishedAt' | 'decision'>): number {
    const finished = input.status === 'running' || input.status === 'proposed' ? null : this.now().toISOString();
    const result = this.db
      .prepare('INSERT INTO agent_actions (session_id, action_class, target, why, status, detail, requested_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(input.sessionId, input.actionClass, input.target, input.why, input.status, input.detail, this.now().toISOString(), finished);
    return Number(result.lastInsertRowid);
  }

  decideAction(id: number, decision: 'approved' | 'rejected'): boolean {
    // Only once, and only for a proposal: a second approval (or one racing a rejection) changes nothing.
    const status = decision === 'approved' ? 'approved' : 'rejected';
    const finished = decision === 'rejected' ? this.now().toISOString() : null;
    const result = this.db.prepare("UPDATE agent_actions SET decision = ?, status = ?, finished_at = ? WHERE id = ? AND status = 'proposed' AND decision IS NULL").run(decision, status, finished, id);
    return result.changes === 1;
  }

  updateAction(id: number, status: ActionStatus, detail: string): void {
    const finished = status === 'running' || status === 'proposed' || status === 'approved' ? null : this.now().toISOString();
    this.db.prepare('UPDATE agent_actions SET status = ?, detail = ?, finished_at = ? WHERE id = ?').run(status, detail, finished, id);
  }

  actions(filter: { sessionId?: string; actionClass?: string; limit?: number }): ActionRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.sessionId) (where.push('session_id = ?'), args.push(filter.sessionId));
    if (filter.actionClass) (where.push('action_class = ?'), args.push(filter.actionClass));
    const sql = `SELECT * FROM agent_actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, filter.limit ?? 1000) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: Number(r.id),
      sessionId: String(r.session_id),
      actionClass: String(r.action_class),
      target: String(r.target),
      why: String(r.why),
      status: r.status as ActionStatus,
      detail: String(r.detail),
      requestedAt: String(r.requested_at),
      finishedAt: r.finished_at === null ? null : String(r.finished_at),
      decision: r.decision === 'approved' || r.decision === 'rejected' ? r.decision : null,
    }));
  }

  executedSince(actionClass: string, since: Date): number {
    const marks = EXECUTED.map(() => '?').join(', ');
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM agent_actions WHERE action_class = ? AND requested_at >= ? AND status IN (${marks})`)
      .get(actionClass, since.toISOString(), ...EXECUTED) as { n: number };
    return row.n;
  }

  recordToolCall(sessionId: string, tool: string, ok: boolean): number {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM agent_tool_calls WHERE session_id = ?').get(sessionId) as { n: number };
        const seq = row.n + 1;
        this.db.prepare('INSERT INTO agent_tool_calls (session_id, seq, tool, ok, at) VALUES (?, ?, ?, ?, ?)').run(sessionId, seq, tool, ok ? 1 : 0, this.now().toISOString());
        return seq;
      })
      .immediate();
  }

  toolCalls(sessionId: string): ToolCallRecord[] {
    const rows = this.db.prepare('SELECT * FROM agent_tool_calls WHERE session_id = ? ORDER BY seq').all(sessionId) as Record<string, unknown>[];
    return rows.map((r) => ({ sessionId: String(r.session_id), seq: Number(r.seq), tool: String(r.tool), ok: r.ok === 1, at: String(r.at) }));
  }

  close(): void {
    this.db.close();
  }
}
