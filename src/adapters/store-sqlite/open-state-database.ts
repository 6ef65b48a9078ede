// One way to open the state file, for every store that keeps a connection to it (deploy records,
// the serve queue, agent sessions, diagnoses, proposals): WAL so readers never block the writer,
// synchronous FULL so a crash loses no acknowledged record, a busy timeout for the other
// processes (serve, mcp, deploy children) on the same file, foreign keys on, migrated.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export function openStateDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}
