import { describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../../../test/serve/webhook-fixtures.js';
import { AlertmanagerPayload } from '../../stages/serve/alertmanager-payload.js';
import { MAX_SESSIONS_PER_INCIDENT, SqliteServeQueue } from './serve-queue.js';

const worker = { owner: 'w', pid: process.pid, hostname: 'box' };

describe('SqliteServeQueue', () => {
  it('starts at most a few sessions for one incident, however its alerts change', () => {
    const queue = new SqliteServeQueue({ file: ':memory:', hostname: 'box' });
    for (let i = 0; i < 10; i++) {
      // Each time: a new alert joins after the previous session already ran.
      queue.intakeAlerts(AlertmanagerPayload.parse(alertmanagerPayload('db', Array.from({ length: i + 1 }, (_, n) => ({ name: 'Down', fingerprint: `f${n}` })))));
      const job = queue.claim(worker, 60_000);
      if (job) queue.finish(job.id, 'w', 'done', { ok: true, summary: 'ok' });
    }
    expect(queue.jobs().filter((j) => j.payload.kind === 'incident')).toHaveLength(MAX_SESSIONS_PER_INCIDENT);
  });

  it('takes over the job of a worker whose lease ran out, and gives up after three attempts', () => {
    let now = Date.parse('2026-12-04T10:00:00Z');
    const queue = new SqliteServeQueue({ file: ':memory:', hostname: 'box', now: () => new Date(now), pidAlive: () => true });
    queue.intakeDelivery('github', 'd1', { dedupKey: 'deploy:x', payload: { kind: 'deploy', head: 'a'.repeat(40), ref: 'refs/heads/main' } });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(queue.claim({ ...worker, owner: `w${attempt}` }, 60_000)).toMatchObject({ attempts: attempt });
      // A live lease is respected.
      expect(queue.claim({ ...worker, owner: 'other' }, 60_000)).toBeNull();
      now += 61_000;
    }
    expect(queue.claim(worker, 60_000)).toBeNull();
    expect(queue.jobs()).toMatchObject([{ state: 'failed', result: { ok: false, summary: 'abandoned 3 times by a worker that died' } }]);
    // A worker that lost its lease cannot finish the job.
    queue.finish(1, 'w3', 'done', { ok: true, summary: 'late' });
    expect(queue.jobs()[0]?.state).toBe('failed');
  });
});

describe('SqliteServeQueue with a job it cannot read', () => {
  it('fails that job instead of blocking the queue behind it', async () => {
    const { default: Database } = await import('better-sqlite3');
    const os = await import('node:os');
    const path = await import('node:path');
    const { mkdtempSync } = await import('node:fs');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'steward-queue-')), 'state.db');
    const queue = new SqliteServeQueue({ file, hostname: 'box' });
    queue.intakeDelivery('github', 'd1', { dedupKey: 'deploy:a', payload: { kind: 'deploy', head: 'a'.repeat(40), ref: 'refs/heads/main' } });
    queue.intakeDelivery('github', 'd2', { dedupKey: 'deploy:b', payload: { kind: 'deploy', head: 'b'.repeat(40), ref: 'refs/heads/main' } });
    const db = new Database(file);
    db.prepare("UPDATE serve_jobs SET payload_json = '{\"kind\":\"from-the-future\"}' WHERE id = 1").run();
    db.close();
    expect(queue.claim(worker, 60_000)).toMatchObject({ id: 2 });
    expect(queue.jobs().map((j) => [j.id, j.state])).toEqual([[2, 'running']]);
    const check = new Database(file, { readonly: true });
    expect(check.prepare('SELECT state FROM serve_jobs WHERE id = 1').get()).toEqual({ state: 'failed' });
    check.close();
  });
});
