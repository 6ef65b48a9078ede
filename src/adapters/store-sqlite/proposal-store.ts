// ProposalStore on SQLite, in the same state file as the deploy and agent records.
import Database from 'better-sqlite3';
import type { IgnoredProposal, ProposalRecord, ProposalStore } from '../../ports/proposal-store.js';
import { openStateDatabase } from './open-state-database.js';

interface Row {
  topic: string;
  branch: string;
  pr_number: number;
  head_sha: string;
  edits_digest: string;
  opened_at: string;
  updated_at: string;
}

export class SqliteProposalStore implements ProposalStore {
  private readonly db: Database.Database;

  constructor(options: { file: string }) {
    this.db = openStateDatabase(options.file);
  }

  get(topic: string): ProposalRecord | null {
    const row = this.db.prepare('SELECT * FROM proposals WHERE topic = ?').get(topic) as Row | undefined;
    return row
      ? { topic: row.topic, branch: row.branch, prNumber: row.pr_number, headSha: row.head_sha, editsDigest: row.edits_digest, openedAt: row.opened_at, updatedAt: row.updated_at }
      : null;
  }

  save(r: ProposalRecord): void {
    this.db
      .prepare(
        `INSERT INTO proposals (topic, branch, pr_number, head_sha, edits_digest, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(topic) DO UPDATE SET branch = excluded.branch, pr_number = excluded.pr_number, head_sha = excluded.head_sha,
           edits_digest = excluded.edits_digest, opened_at = excluded.opened_at, updated_at = excluded.updated_at`,
      )
      .run(r.topic, r.branch, r.prNumber, r.headSha, r.editsDigest, r.openedAt, r.updatedAt);
  }

  openedSince(since: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM proposals WHERE opened_at >= ?').get(since) as { n: number }).n;
  }

  markIgnored(topic: string, title: string, prNumber: number, at: string): void {
    this.db.prepare('INSERT OR IGNORE INTO proposals_ignored (topic, title, pr_number, at) VALUES (?, ?, ?, ?)').run(topic, title, prNumber, at);
  }

  isIgnored(topic: string, title: string): boolean {
    return this.db.prepare('SELECT 1 FROM proposals_ignored WHERE topic = ? AND title = ?').get(topic, title) !== undefined;
  }

  ignored(): IgnoredProposal[] {
    const rows = this.db.prepare('SELECT topic, title, pr_number, at FROM proposals_ignored ORDER BY topic, at').all() as { topic: string; title: string; pr_number: number; at: string }[];
    return rows.map((r) => ({ topic: r.topic, title: r.title, prNumber: r.pr_number, at: r.at }));
  }

  dashboardIssue(): number | null {
    const row = this.db.prepare("SELECT value FROM proposals_meta WHERE key = 'dashboard_issue'").get() as { value: string } | undefined;
    return row ? Number(row.value) : null;
  }

  setDashboardIssue(issue: number): void {
    this.db.prepare("INSERT INTO proposals_meta (key, value) VALUES ('dashboard_issue', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(issue));
  }

  close(): void {
    this.db.close();
  }
}
