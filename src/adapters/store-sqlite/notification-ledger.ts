// What each notification channel was sent, per deterministic key (the `notifications` table).
import type Database from 'better-sqlite3';
import type { NotificationLedger, SentRecord } from '../../ports/notify-channel.js';
import { openStateDatabase } from './open-state-database.js';

export class SqliteNotificationLedger implements NotificationLedger {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openStateDatabase(file);
  }

  get(channel: SentRecord['channel'], key: string): SentRecord | null {
    const row = this.db.prepare('SELECT channel, key, content_hash, ref, state FROM notifications WHERE channel = ? AND key = ?').get(channel, key) as Record<string, string | null> | undefined;
    if (!row) return null;
    return { channel, key, contentHash: String(row.content_hash), ref: row.ref ?? null, state: row.state === 'resolved' ? 'resolved' : 'open' };
  }

  put(record: SentRecord): void {
    this.db
      .prepare('INSERT OR REPLACE INTO notifications (channel, key, content_hash, ref, state, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(record.channel, record.key, record.contentHash, record.ref, record.state, new Date().toISOString());
  }

  close(): void {
    this.db.close();
  }
}
