import { describe, expect, it } from 'vitest';
import { SqliteServeQueue } from '../../src/adapters/store-sqlite/serve-queue.js';
import { silentLogger } from '../../src/ports/logger.js';
import { alertmanagerPayload } from '../serve/webhook-fixtures.js';
import { AlertmanagerPayload } from '../../src/stages/serve/alertmanager-payload.js';
import { startServeWorker } from '../../src/stages/serve/serve-worker.js';

const identity = { owner: 'w1', pid: process.pid, hostname: 'box' };
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
};

describe('startServeWorker', () => {
  it('runs one session per incident at a time, other incidents beside it', async () => {
    const queue = new SqliteServeQueue({ file: ':memory:', hostname: 'box' });
    const intake = (group: string, fp: string) => queue.intakeAlerts(AlertmanagerPayload.parse(alertmanagerPayload(group, [{ name: 'Down', fingerprint: fp }])));
    intake('db', 'a');
    const running = new Set<number>();
    const release = new Map<number, () => void>();
    const worker = startServeWorker(
      {
        queue,
        logger: silentLogger,
        identity,
        runJob: (job) =>
          new Promise((resolve) => {
            running.add(job.id);
            release.set(job.id, () => (running.delete(job.id), resolve({ ok: true, summary: 'ok' })));
          }),
      },
      { leaseMs: 60_000, jobTimeoutMs: 60_000, concurrency: 3, pollMs: 20 },
    );
    await until(() => running.has(1));
    intake('db', 'b'); // the same incident, its session running: queued behind it
    intake('web', 'c'); // another incident: runs beside it
    worker.wake();
    await until(() => running.has(3));
    expect([...running]).toEqual([1, 3]);
    release.get(1)!();
    await until(() => running.has(2));
    release.get(2)!();
    release.get(3)!();
    await until(() => queue.jobs().every((j) => j.state === 'done'));
    await worker.stop();
  });

  it('records a job that throws or outlives its deadline as failed, with why', async () => {
    const queue = new SqliteServeQueue({ file: ':memory:', hostname: 'box' });
    queue.intakeDelivery('github', 'd1', { dedupKey: 'x', payload: { kind: 'deploy', head: 'a'.repeat(40), ref: 'refs/heads/main' } });
    queue.intakeDelivery('github', 'd2', { dedupKey: 'y', payload: { kind: 'deploy', head: 'b'.repeat(40), ref: 'refs/heads/main' } });
    const worker = startServeWorker(
      {
        queue,
        logger: silentLogger,
        identity,
        runJob: (job, signal) =>
          job.id === 1 ? Promise.reject(new Error('boom')) : new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      },
      { leaseMs: 60_000, jobTimeoutMs: 200, concurrency: 1, pollMs: 20 },
    );
    await until(() => queue.jobs().every((j) => j.state === 'failed'));
    await worker.stop();
    expect(queue.jobs().map((j) => j.result?.summary)).toEqual(['boom', 'job ran longer than 200 ms']);
  });
});
