// The durable queue of `steward serve`: webhooks enqueue (deduplicated on deterministic keys),
// workers claim a job under a lease, run it and finish it. A worker killed mid-job leaves a lease
// that expires (or a dead pid), and the job is claimed again; a finished job never runs again.
import type { ServeJob, ServeJobPayload, ServeJobResult, ServeJobState } from '../model/serve-job.js';
import type { AlertmanagerPayload } from '../stages/serve/alertmanager-payload.js';

export interface AlertIntake {
  incidentKey: string | null;
  /** Alerts (fingerprint, startsAt) seen for the first time. */
  newAlerts: number;
  /** A job was queued (or the incident's queued job took the new alerts). */
  queued: 'new-job' | 'merged' | 'none';
  /** This delivery resolved the incident. */
  resolved: boolean;
}

export type EnqueueResult = { status: 'queued'; jobId: number } | { status: 'duplicate-delivery' } | { status: 'duplicate-job'; jobId: number } | { status: 'recorded' };

export interface WorkerIdentity {
  owner: string;
  pid: number;
  hostname: string;
}

export interface ServeJobRow extends ServeJob {
  state: ServeJobState;
  incidentKey: string | null;
  result: ServeJobResult | null;
  finishedAt: string | null;
}

export interface ServeQueue {
  /** Alertmanager: records the alerts, opens/extends/resolves the incident, queues its work once. */
  intakeAlerts(payload: AlertmanagerPayload): AlertIntake;
  /**
   * GitHub: records the delivery id (a redelivery is a duplicate) and queues the job unless the
   * same work is already queued; `job` null records the delivery only (an ignored event).
   */
  intakeDelivery(source: string, deliveryId: string, job: { dedupKey: string; payload: ServeJobPayload } | null): EnqueueResult;
  /**
   * Runs several intakes in one transaction (one disk sync for all): each intake inside is its
   * own savepoint, so one that throws undoes only itself.
   */
  batch<T>(fn: () => T): T;
  /** The oldest runnable job (none of its incident's jobs running), leased to `worker`; null when none. */
  claim(worker: WorkerIdentity, leaseMs: number): ServeJob | null;
  /** Extends the lease; false when the job is no longer this worker's (it was taken over). */
  renew(jobId: number, owner: string, leaseMs: number): boolean;
  finish(jobId: number, owner: string, state: 'done' | 'failed', result: ServeJobResult): void;
  jobs(filter?: { state?: ServeJobState }): ServeJobRow[];
  close(): void;
}
