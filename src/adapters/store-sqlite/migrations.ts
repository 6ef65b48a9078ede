// Versioned schema migrations of the state store. Append only: a released migration never
// changes; each runs once, in its own transaction, and is recorded in schema_migrations.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'deploy records, targets, lock, approvals',
    sql: `
      CREATE TABLE lock (
        name TEXT PRIMARY KEY, owner TEXT NOT NULL, pid INTEGER NOT NULL, hostname TEXT NOT NULL,
        command TEXT NOT NULL, acquired_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT, head TEXT NOT NULL, dry_run INTEGER NOT NULL,
        started_at TEXT NOT NULL, finished_at TEXT, commits_json TEXT
      );
      CREATE TABLE actions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),
        kind TEXT NOT NULL, target TEXT NOT NULL, sha TEXT NOT NULL, action TEXT NOT NULL,
        from_state TEXT, to_state TEXT, detail_json TEXT NOT NULL, started_at TEXT NOT NULL,
        finished_at TEXT, result TEXT, outcome_json TEXT
      );
      CREATE INDEX actions_unfinished ON actions(finished_at);
      CREATE TABLE action_steps (
        action_id INTEGER NOT NULL REFERENCES actions(id), seq INTEGER NOT NULL, step TEXT NOT NULL,
        at TEXT NOT NULL, detail_json TEXT NOT NULL, PRIMARY KEY (action_id, seq)
      );
      CREATE TABLE targets (kind TEXT NOT NULL, name TEXT NOT NULL, last_good TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (kind, name));
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE bad_commits (sha TEXT PRIMARY KEY, target TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
      CREATE TABLE pending_reboots (host TEXT PRIMARY KEY, toplevel TEXT NOT NULL, previous TEXT, sha TEXT NOT NULL, since TEXT NOT NULL);
      CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, kind TEXT NOT NULL, target TEXT NOT NULL,
        sha TEXT NOT NULL, result TEXT NOT NULL, action TEXT NOT NULL, from_state TEXT, to_state TEXT,
        message TEXT NOT NULL, at TEXT NOT NULL
      );
      CREATE INDEX history_target_at ON history(kind, target, at);
      CREATE TABLE approvals (sha TEXT PRIMARY KEY, state TEXT NOT NULL, pr INTEGER, at TEXT NOT NULL, note TEXT);
    `,
  },
  {
    version: 10,
    name: 'serve: queue, deliveries, incidents, notifications',
    sql: `
      CREATE TABLE serve_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, dedup_key TEXT NOT NULL UNIQUE,
        incident_key TEXT, payload_json TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT, lease_pid INTEGER, lease_hostname TEXT, lease_until INTEGER,
        enqueued_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, result_json TEXT
      );
      CREATE INDEX serve_jobs_state ON serve_jobs(state, id);
      CREATE INDEX serve_jobs_incident ON serve_jobs(incident_key, state);
      CREATE TABLE serve_deliveries (source TEXT NOT NULL, delivery_id TEXT NOT NULL, job_id INTEGER, received_at TEXT NOT NULL, PRIMARY KEY (source, delivery_id));
      CREATE TABLE incidents (
        incident_key TEXT PRIMARY KEY, group_id TEXT NOT NULL, group_key TEXT NOT NULL, state TEXT NOT NULL,
        opened_at TEXT NOT NULL, resolved_at TEXT
      );
      CREATE UNIQUE INDEX incidents_open_group ON incidents(group_id) WHERE state = 'open';
      CREATE TABLE incident_alerts (
        alert_key TEXT PRIMARY KEY, incident_key TEXT NOT NULL REFERENCES incidents(incident_key),
        status TEXT NOT NULL, alert_json TEXT NOT NULL, first_seen TEXT NOT NULL, updated_at TEXT NOT NULL
      );
      CREATE INDEX incident_alerts_incident ON incident_alerts(incident_key, status);
      CREATE TABLE notifications (
        channel TEXT NOT NULL, key TEXT NOT NULL, content_hash TEXT NOT NULL, ref TEXT, state TEXT NOT NULL,
        at TEXT NOT NULL, PRIMARY KEY (channel, key)
      );
    `,
  },
  {
    version: 20,
    name: 'agent sessions, their action records and tool calls',
    sql: `
      CREATE TABLE agent_sessions (
        id TEXT PRIMARY KEY, incident_key TEXT, started_at TEXT NOT NULL, finished_at TEXT, record_json TEXT
      );
      CREATE INDEX agent_sessions_incident ON agent_sessions(incident_key, finished_at);
      CREATE TABLE agent_actions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, action_class TEXT NOT NULL,
        target TEXT NOT NULL, why TEXT NOT NULL, status TEXT NOT NULL, detail TEXT NOT NULL,
        requested_at TEXT NOT NULL, finished_at TEXT
      );
      CREATE INDEX agent_actions_class ON agent_actions(action_class, requested_at);
      CREATE TABLE agent_tool_calls (
        session_id TEXT NOT NULL, seq INTEGER NOT NULL, tool TEXT NOT NULL, ok INTEGER NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
      );
    `,
  },
  {
    version: 21,
    name: 'a person\'s decision on a proposed agent action',
    sql: `ALTER TABLE agent_actions ADD COLUMN decision TEXT;`,
  },
  {
    version: 30,
    name: 'proposals: the last pushed commit per topic, and topics closed without merge',
    sql: `
      CREATE TABLE proposals (
        topic TEXT PRIMARY KEY, branch TEXT NOT NULL, pr_number INTEGER NOT NULL, head_sha TEXT NOT NULL,
        edits_digest TEXT NOT NULL, opened_at TEXT NOT NULL, updated_at TEXT NOT NULL
      );
      CREATE INDEX proposals_opened ON proposals(opened_at);
      CREATE TABLE proposals_ignored (topic TEXT NOT NULL, title TEXT NOT NULL, pr_number INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (topic, title));
    `,
  },
  {
    version: 31,
    name: 'proposals: the dashboard issue',
    sql: `CREATE TABLE proposals_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  },
  {
    version: 50,
    name: 'deploy diagnoses, the one-retry ledger, knowledge suggestions',
    sql: `
      CREATE TABLE deploy_diagnoses (
        id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER, sha TEXT NOT NULL, target TEXT NOT NULL,
        signature TEXT NOT NULL, strategy TEXT NOT NULL, outcome TEXT NOT NULL, decision_json TEXT NOT NULL, at TEXT NOT NULL
      );
      CREATE INDEX deploy_diagnoses_sha ON deploy_diagnoses(sha, target);
      CREATE TABLE deploy_retries (
        sha TEXT NOT NULL, target TEXT NOT NULL, strategy TEXT NOT NULL, signature TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (sha, target)
      );
      CREATE TABLE knowledge_suggestions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, sha TEXT NOT NULL, signature TEXT NOT NULL, strategy TEXT NOT NULL,
        body TEXT NOT NULL, at TEXT NOT NULL, UNIQUE (sha, signature, strategy)
      );
    `,
  },
];

/** Applies every migration newer than the database; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  // A database written by a newer Steward: refusing is safer than guessing its shape.
  if (newest > known) throw new Error(`the state database has schema version ${newest}, newer than this Steward knows (${known}): upgrade Steward`);
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
    done.push(migration.version);
  }
  return done;
}
