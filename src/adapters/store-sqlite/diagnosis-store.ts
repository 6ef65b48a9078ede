// Diagnoses on SQLite, in the same state file as the deploy records (its own connection). The
// retry ledger's primary key (commit, target) is what makes "at most one retry" hold across
// crashes and concurrent processes: a second claim inserts nothing.
import Database from 'better-sqlite3';
import { DiagnosisDecision } from '../../model/deploy-failure.js';
import type { DiagnosisRow, DiagnosisStore, KnowledgeSuggestion } from '../../ports/diagnosis-store.js';
import { openStateDatabase } from './open-state-database.js';

export class SqliteDiagnosisStore implements DiagnosisStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;

  constructor(options: { file: string; now?: () => Date }) {
    this.db = openStateDatabase(options.file);
    this.now = options.now ?? (() => new Date());
  }

  retriesUsed(sha: string, target: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM deploy_retries WHERE sha = ? AND target = ?').get(sha, target) as { n: number }).n;
  }

  claimRetry(input: { sha: string; target: string; strategy: string; signature: string }): boolean {
    const result = this.db.prepare('INSERT OR IGNORE INTO deploy_retries (sha, target, strategy, signature, at) VALUES (?, ?, ?, ?, ?)').run(input.sha, input.target, input.strategy, input.signature, this.now().toISOString());
    return result.changes === 1;
  }

  recordDiagnosis(input: { runId: number | null; sha: string; decision: DiagnosisDecision }): number {
    const d = DiagnosisDecision.parse(input.decision);
    const target = `${d.failure.target.kind}:${d.failure.target.name}`;
    const result = this.db
      .prepare('INSERT INTO deploy_diagnoses (run_id, sha, target, signature, strategy, outcome, decision_json, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(input.runId, input.sha, target, d.signature, d.strategy, d.outcome, JSON.stringify(d), this.now().toISOString());
    return Number(result.lastInsertRowid);
  }

  settleDiagnosis(id: number, outcome: DiagnosisDecision['outcome'], detail: string): void {
    const row = this.db.prepare('SELECT decision_json FROM deploy_diagnoses WHERE id = ?').get(id) as { decision_json: string } | undefined;
    if (!row) return;
    const decision = { ...(JSON.parse(row.decision_json) as DiagnosisDecision), outcome, detail };
    this.db.prepare('UPDATE deploy_diagnoses SET outcome = ?, decision_json = ? WHERE id = ?').run(outcome, JSON.stringify(decision), id);
  }

  diagnoses(filter: { sha?: string; limit?: number }): DiagnosisRow[] {
    const rows = (
      filter.sha
        ? this.db.prepare('SELECT * FROM deploy_diagnoses WHERE sha = ? ORDER BY id DESC LIMIT ?').all(filter.sha, filter.limit ?? 50)
        : this.db.prepare('SELECT * FROM deploy_diagnoses ORDER BY id DESC LIMIT ?').all(filter.limit ?? 50)
    ) as Array<{ id: number; run_id: number | null; sha: string; decision_json: string; at: string }>;
    return rows.map((r) => ({ id: r.id, runId: r.run_id, sha: r.sha, decision: JSON.parse(r.decision_json) as DiagnosisDecision, at: r.at }));
  }

  suggestKnowledge(input: Omit<KnowledgeSuggestion, 'id' | 'at'>): number {
    const result = this.db.prepare('INSERT OR IGNORE INTO knowledge_suggestions (sha, signature, strategy, body, at) VALUES (?, ?, ?, ?, ?)').run(input.sha, input.signature, input.strategy, input.body, this.now().toISOString());
    return Number(result.changes === 1 ? result.lastInsertRowid : 0);
  }

  knowledgeSuggestions(limit = 50): KnowledgeSuggestion[] {
    return this.db.prepare('SELECT id, sha, signature, strategy, body, at FROM knowledge_suggestions ORDER BY id DESC LIMIT ?').all(limit) as KnowledgeSuggestion[];
  }

  close(): void {
    this.db.close();
  }
}
