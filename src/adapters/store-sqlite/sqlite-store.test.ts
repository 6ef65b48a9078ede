import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { TargetRecord } from '../../model/deploy-record.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { SqliteDeployStore } from './sqlite-store.js';

const SHA = (c: string) => c.repeat(40);
const holder = (owner: string, pid = process.pid) => ({ owner, pid, hostname: 'deploy-box', command: 'steward deploy' });
const verified = (name: string): TargetRecord => ({ kind: 'host', name, result: 'verified', action: 'switch', from: '/nix/store/a', to: '/nix/store/b', message: 'ok', pendingReboot: false, verification: [], durationMs: 1 });

describe('migrate', () => {
  it('applies each migration once and records it', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('refuses a database written by a newer Steward', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'now')").run();
    expect(() => migrate(db)).toThrow(/schema version 99, newer than this Steward knows/);
  });
});

describe('SqliteDeployStore', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const file = () => path.join(dir, `state-${++files}.db`);

  it('lets one holder have the lock; another waits within its bound, then gets it once released', async () => {
    const f = file();
    const a = new SqliteDeployStore({ file: f, hostname: 'deploy-box' });
    const b = new SqliteDeployStore({ file: f, hostname: 'deploy-box' });
    expect(await a.acquireLock(holder('a'), { waitMs: 0, staleMs: 60_000 })).toEqual({ acquired: true, tookOverFrom: null });
    const refused = await b.acquireLock(holder('b'), { waitMs: 100, staleMs: 60_000, pollMs: 20 });
    expect(refused).toMatchObject({ acquired: false, holder: { owner: 'a', command: 'steward deploy' } });
    setTimeout(() => a.releaseLock('a'), 50);
    expect(await b.acquireLock(holder('b'), { waitMs: 2000, staleMs: 60_000, pollMs: 20 })).toMatchObject({ acquired: true });
  });

  it('takes over the lock of a holder whose process is gone, or whose heartbeat stopped', async () => {
    const f = file();
    const a = new SqliteDeployStore({ file: f, hostname: 'deploy-box' });
    await a.acquireLock(holder('dead', 999_999), { waitMs: 0, staleMs: 60_000 });
    const b = new SqliteDeployStore({ file: f, hostname: 'deploy-box', pidAlive: () => false });
    expect(await b.acquireLock(holder('b'), { waitMs: 0, staleMs: 60_000 })).toMatchObject({ acquired: true, tookOverFrom: { owner: 'dead' } });
    b.releaseLock('b');
    let now = Date.parse('2025-01-01T00:00:00Z');
    const c = new SqliteDeployStore({ file: f, hostname: 'other-box', now: () => new Date(now) });
    expect(await c.acquireLock(holder('c'), { waitMs: 0, staleMs: 60_000 })).toMatchObject({ acquired: true });
    const d = new SqliteDeployStore({ file: f, hostname: 'deploy-box', now: () => new Date(now) });
    expect(await d.acquireLock(holder('d'), { waitMs: 0, staleMs: 60_000 })).toMatchObject({ acquired: false });
    now += 61_000;
    expect(await d.acquireLock(holder('d'), { waitMs: 0, staleMs: 60_000 })).toMatchObject({ acquired: true, tookOverFrom: { owner: 'c' } });
  });

  it('keeps the write-ahead log of an action until it is finished, then its history', () => {
    const s = new SqliteDeployStore({ file: ':memory:' });
    const run = s.startRun({ head: SHA('a'), dryRun: false });
    const id = s.beginAction({ runId: run, kind: 'host', target: 'nas', sha: SHA('a'), action: 'switch', from: '/nix/store/a', to: '/nix/store/b', detail: { guardId: 'g' } });
    s.stepAction(id, 'armed');
    s.stepAction(id, 'switched', { exitCode: 0 });
    expect(s.incompleteActions()).toMatchObject([{ id, target: 'nas', detail: { guardId: 'g' }, steps: [{ step: 'armed' }, { step: 'switched', detail: { exitCode: 0 } }] }]);
    s.finishAction(id, verified('nas'));
    expect(s.incompleteActions()).toEqual([]);
    expect(s.history({ target: 'host:nas' })).toMatchObject([{ target: 'nas', sha: SHA('a'), result: 'verified' }]);
  });

  it('answers what was deployed at a time, last good commits, bad commits and pending reboots', () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const s = new SqliteDeployStore({ file: ':memory:', now: () => new Date(now) });
    const run = s.startRun({ head: SHA('a'), dryRun: false });
    s.finishAction(s.beginAction({ runId: run, kind: 'host', target: 'nas', sha: SHA('a'), action: 'switch', from: null, to: '/nix/store/b', detail: {} }), verified('nas'));
    now += 3_600_000;
    s.finishAction(s.beginAction({ runId: run, kind: 'host', target: 'nas', sha: SHA('b'), action: 'switch', from: null, to: '/nix/store/c', detail: {} }), verified('nas'));
    expect(s.history({ at: new Date(Date.parse('2025-01-01T00:30:00Z')) }).map((e) => e.sha)).toEqual([SHA('a')]);
    expect(s.history({}).map((e) => e.sha)).toEqual([SHA('b'), SHA('a')]);
    s.setLastGood('host', 'nas', SHA('b'));
    expect(s.lastGood('host', 'nas')).toBe(SHA('b'));
    expect(s.lastGoodAll()).toEqual([{ kind: 'host', name: 'nas', sha: SHA('b') }]);
    s.markBad({ sha: SHA('c'), target: 'host:nas', reason: 'exit 2' });
    expect(s.badCommit(SHA('c'))).toMatchObject({ target: 'host:nas', reason: 'exit 2' });
    expect(s.badCommit(SHA('b'))).toBeNull();
    s.setPendingReboot({ host: 'nas', toplevel: '/nix/store/c', previous: '/nix/store/b', sha: SHA('b') });
    expect(s.pendingReboots()).toMatchObject([{ host: 'nas', previous: '/nix/store/b' }]);
    s.clearPendingReboot('nas');
    expect(s.pendingReboots()).toEqual([]);
  });

  it('is the approval store of the approval flow', async () => {
    const s = new SqliteDeployStore({ file: ':memory:' });
    await s.put({ sha: SHA('a'), state: 'requested', pr: 3, at: '2025-01-01T00:00:00Z' });
    await s.put({ sha: SHA('b'), state: 'rejected', pr: 4, at: '2025-01-02T00:00:00Z', note: 'closed' });
    expect(await s.get(SHA('b'))).toEqual({ sha: SHA('b'), state: 'rejected', pr: 4, at: '2025-01-02T00:00:00Z', note: 'closed' });
    expect((await s.approvals(['requested', 'approved'])).map((a) => a.sha)).toEqual([SHA('a')]);
  });
});
