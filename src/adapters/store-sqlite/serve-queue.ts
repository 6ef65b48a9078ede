// The queue of `steward serve` in the state database (its own connection, WAL, FULL sync): an
// acknowledged webhook is on disk before its 202 goes out. Every intake is one IMMEDIATE
// transaction, so concurrent deliveries of the same alert or event queue its work once.
import os from 'node:os';
import Database from 'better-sqlite3';
import type { Alert } from '../../model/agent-session.js';
import { ServeJobPayload, type ServeJob, type ServeJobResult, type ServeJobState } from '../../model/serve-job.js';
import type { AlertIntake, EnqueueResult, ServeJobRow, ServeQueue, WorkerIdentity } from '../../ports/serve-queue.js';
import { alertKeyOf, groupIdOf, incidentKeyOf, type AlertmanagerPayload } from '../../stages/serve/alertmanager-payload.js';
import { pidAlive as processAlive } from './lock.js';
import { openStateDatabase } from './open-state-database.js';

export interface SqliteServeQueueOptions {
  file: string;
  now?: () => Date;
  hostname?: string;
  pidAlive?: (pid: number) => boolean;
  /** An interrupted job is tried this many times in all, then recorded as failed. */
  maxAttempts?: number;
}

type Row = Record<string, unknown>;

/** Sessions one incident may start: the first, and follow-ups for alerts that joined while one ran. */
export const MAX_SESSIONS_PER_INCIDENT = 3;

export class SqliteServeQueue implements ServeQueue {
  private readonly db: Database.Database;
  private readonly now: () => Date;

  constructor(private readonly options: SqliteServeQueueOptions) {
    this.db = openStateDatabase(options.file);
    this.now = options.now ?? (() => new Date());
  }

  private iso(): string {
    return this.now().toISOString();
  }

  intakeAlerts(payload: AlertmanagerPayload): AlertIntake {
    return this.db.transaction((): AlertIntake => {
      const at = this.iso();
      const groupId = groupIdOf(payload.groupKey);
      let incident = this.db.prepare("SELECT incident_key FROM incidents WHERE group_id = ? AND state = 'open'").get(groupId) as { incident_key: string } | undefined;
      // Unique per (fingerprint, startsAt) even within one payload, then those not seen before.
      const firing = [...new Map(payload.alerts.filter((a) => a.status === 'firing').map((a) => [alertKeyOf(a), a])).values()];
      const fresh = firing.filter((a) => !this.db.prepare('SELECT 1 FROM incident_alerts WHERE alert_key = ?').get(alertKeyOf(a)));
      let queued: AlertIntake['queued'] = 'none';
      if (fresh.length > 0) {
        if (!incident) {
          incident = { incident_key: incidentKeyOf(payload.groupKey, fresh) };
          this.db.prepare("INSERT INTO incidents (incident_key, group_id, group_key, state, opened_at) VALUES (?, ?, ?, 'open', ?)").run(incident.incident_key, groupId, payload.groupKey, at);
        }
        for (const alert of fresh) {
          this.db.prepare('INSERT INTO incident_alerts (alert_key, incident_key, status, alert_json, first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(alertKeyOf(alert), incident.incident_key, 'firing', JSON.stringify(alert), at, at);
        }
        queued = this.queueIncidentWork(incident.incident_key, payload.groupKey, at);
      }
      // Resolved alerts of this incident; the incident closes once none of its alerts still fires.
      let resolved = false;
      if (incident) {
        for (const alert of payload.alerts.filter((a) => a.status === 'resolved')) {
          this.db.prepare("UPDATE incident_alerts SET status = 'resolved', alert_json = ?, updated_at = ? WHERE alert_key = ? AND incident_key = ? AND status = 'firing'").run(JSON.stringify(alert), at, alertKeyOf(alert), incident.incident_key);
        }
        const stillFiring = this.db.prepare("SELECT COUNT(*) AS n FROM incident_alerts WHERE incident_key = ? AND status = 'firing'").get(incident.incident_key) as { n: number };
        if (stillFiring.n === 0) {
          resolved = true;
          this.db.prepare("UPDATE incidents SET state = 'resolved', resolved_at = ? WHERE incident_key = ?").run(at, incident.incident_key);
          // A session that has not started yet has nothing left to investigate.
          this.db.prepare("UPDATE serve_jobs SET state = 'superseded', finished_at = ? WHERE incident_key = ? AND state = 'queued'").run(at, incident.incident_key);
          this.insertJob(`resolve:${incident.incident_key}`, { kind: 'resolve', incidentKey: incident.incident_key, groupKey: payload.groupKey }, incident.incident_key, at);
        }
      }
      return { incidentKey: incident?.incident_key ?? null, newAlerts: fresh.length, queued, resolved };
    }).immediate();
  }

  /** One session per incident at a time: new alerts join a session still queued, else queue the next one. */
  private queueIncidentWork(incidentKey: string, groupKey: string, at: string): AlertIntake['queued'] {
    const alerts = (this.db.prepare("SELECT alert_json FROM incident_alerts WHERE incident_key = ? AND status = 'firing' ORDER BY first_seen, alert_key").all(incidentKey) as Row[]).map((r) => JSON.parse(String(r.alert_json)) as Alert);
    const payload: ServeJobPayload = { kind: 'incident', incidentKey, groupKey, alerts };
    const waiting = this.db.prepare("SELECT id FROM serve_jobs WHERE incident_key = ? AND kind = 'incident' AND state = 'queued'").get(incidentKey) as { id: number } | undefined;
    if (waiting) {
      this.db.prepare('UPDATE serve_jobs SET payload_json = ? WHERE id = ?').run(JSON.stringify(payload), waiting.id);
      return 'merged';
    }
    const sessions = this.db.prepare("SELECT COUNT(*) AS n FROM serve_jobs WHERE incident_key = ? AND kind = 'incident'").get(incidentKey) as { n: number };
    // An incident whose alerts keep changing must not become a loop of sessions: past the cap its
    // alerts are still recorded (and resolve it), but no further session starts.
    if (sessions.n >= MAX_SESSIONS_PER_INCIDENT) return 'none';
    this.insertJob(`incident:${incidentKey}:${sessions.n + 1}`, payload, incidentKey, at);
    return 'new-job';
  }

  private insertJob(dedupKey: string, payload: ServeJobPayload, incidentKey: string | null, at: string): number | null {
    const info = this.db
      .prepare("INSERT OR IGNORE INTO serve_jobs (kind, dedup_key, incident_key, payload_json, state, enqueued_at) VALUES (?, ?, ?, ?, 'queued', ?)")
      .run(payload.kind, dedupKey, incidentKey, JSON.stringify(payload), at);
    return info.changes > 0 ? Number(info.lastInsertRowid) : null;
  }

  intakeDelivery(source: string, deliveryId: string, job: { dedupKey: string; payload: ServeJobPayload } | null): EnqueueResult {
    return this.db.transaction((): EnqueueResult => {
      const at = this.iso();
      const seen = this.db.prepare('INSERT OR IGNORE INTO serve_deliveries (source, delivery_id, received_at) VALUES (?, ?, ?)').run(source, deliveryId, at);
      if (seen.changes === 0) return { status: 'duplicate-delivery' };
      if (!job) return { status: 'recorded' };
      const id = this.insertJob(job.dedupKey, job.payload, null, at);
      const jobId = id ?? Number((this.db.prepare('SELECT id FROM serve_jobs WHERE dedup_key = ?').get(job.dedupKey) as { id: number }).id);
      this.db.prepare('UPDATE serve_deliveries SET job_id = ? WHERE source = ? AND delivery_id = ?').run(jobId, source, deliveryId);
      return id === null ? { status: 'duplicate-job', jobId } : { status: 'queued', jobId };
    }).immediate();
  }

  batch<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  claim(worker: WorkerIdentity, leaseMs: number): ServeJob | null {
    return this.db.transaction((): ServeJob | null => {
      this.releaseAbandoned();
      for (;;) {
        const row = this.db
          .prepare(
            `SELECT * FROM serve_jobs j WHERE j.state = 'queued' AND (j.incident_key IS NULL OR NOT EXISTS
               (SELECT 1 FROM serve_jobs r WHERE r.incident_key = j.incident_key AND r.state = 'running'))
             ORDER BY j.id LIMIT 1`,
          )
          .get() as Row | undefined;
        if (!row) return null;
        const job = readJob(row);
        if (!job) {
          // Written by another Steward version and not readable here: failed, so it cannot block the queue.
          const result: ServeJobResult = { ok: false, summary: 'the queued job is not one this Steward can read' };
          this.db.prepare("UPDATE serve_jobs SET state = 'failed', finished_at = ?, result_json = ? WHERE id = ?").run(this.iso(), JSON.stringify(result), row.id);
          continue;
        }
        this.db
          .prepare("UPDATE serve_jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_pid = ?, lease_hostname = ?, lease_until = ?, started_at = ? WHERE id = ?")
          .run(worker.owner, worker.pid, worker.hostname, this.now().getTime() + leaseMs, this.iso(), row.id);
        return { ...job, attempts: job.attempts + 1 };
      }
    }).immediate();
  }

  /** Jobs whose worker died (its pid is gone on this machine, or its lease ran out) are queued again, or failed after too many attempts. */
  private releaseAbandoned(): void {
    const live = this.options.pidAlive ?? processAlive;
    const hostname = this.options.hostname ?? os.hostname();
    const now = this.now().getTime();
    for (const row of this.db.prepare("SELECT id, attempts, lease_pid, lease_hostname, lease_until FROM serve_jobs WHERE state = 'running'").all() as Row[]) {
      const dead = (row.lease_hostname === hostname && !live(Number(row.lease_pid))) || Number(row.lease_until) < now;
      if (!dead) continue;
      if (Number(row.attempts) >= (this.options.maxAttempts ?? 3)) {
        const result: ServeJobResult = { ok: false, summary: `abandoned ${row.attempts} times by a worker that died` };
        this.db.prepare("UPDATE serve_jobs SET state = 'failed', finished_at = ?, result_json = ?, lease_owner = NULL WHERE id = ?").run(this.iso(), JSON.stringify(result), row.id);
      } else {
        this.db.prepare("UPDATE serve_jobs SET state = 'queued', lease_owner = NULL, lease_pid = NULL, lease_hostname = NULL, lease_until = NULL WHERE id = ?").run(row.id);
      }
    }
  }

  renew(jobId: number, owner: string, leaseMs: number): boolean {
    return this.db.prepare("UPDATE serve_jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'running'").run(this.now().getTime() + leaseMs, jobId, owner).changes > 0;
  }

  finish(jobId: number, owner: string, state: 'done' | 'failed', result: ServeJobResult): void {
    this.db.prepare("UPDATE serve_jobs SET state = ?, finished_at = ?, result_json = ?, lease_until = NULL WHERE id = ? AND lease_owner = ? AND state = 'running'").run(state, this.iso(), JSON.stringify(result), jobId, owner);
  }

  jobs(filter: { state?: ServeJobState } = {}): ServeJobRow[] {
    const rows = (filter.state ? this.db.prepare('SELECT * FROM serve_jobs WHERE state = ? ORDER BY id').all(filter.state) : this.db.prepare('SELECT * FROM serve_jobs ORDER BY id').all()) as Row[];
    // A job this Steward cannot read (another version wrote it) is left out rather than failing the listing.
    return rows.flatMap((r) => {
      const job = readJob(r);
      return job ? [{ ...job, ...rowState(r) }] : [];
    });
  }

  close(): void {
    this.db.close();
  }
}

function rowState(r: Row): Omit<ServeJobRow, keyof ServeJob> {
  return {
    state: r.state as ServeJobState,
    incidentKey: (r.incident_key as string | null) ?? null,
    result: r.result_json ? (JSON.parse(String(r.result_json)) as ServeJobResult) : null,
    finishedAt: (r.finished_at as string | null) ?? null,
  };
}

function readJob(row: Row): ServeJob | null {
  try {
    return toJob(row);
  } catch {
    return null;
  }
}

function toJob(row: Row): ServeJob {
  return {
    id: Number(row.id),
    dedupKey: String(row.dedup_key),
    payload: ServeJobPayload.parse(JSON.parse(String(row.payload_json))),
    attempts: Number(row.attempts),
    enqueuedAt: String(row.enqueued_at),
  };
}
