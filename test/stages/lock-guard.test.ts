// A run that lost its lock writes nothing more: every write of the guarded store checks ownership.
import { describe, expect, it } from 'vitest';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import { assertLockHeld, LockLostError, lockGuardedStore } from '../../src/stages/deploy/lock-guard.js';

describe('lockGuardedStore', () => {
  it('passes writes through while the run holds the lock, and refuses every write once another run took it over', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const store = new SqliteDeployStore({ file: ':memory:', hostname: 'runner', pidAlive: () => true, now: () => new Date(clock) });
    const holder = (owner: string) => ({ owner, pid: 1, hostname: 'runner', command: `steward deploy (${owner})` });
    expect((await store.acquireLock(holder('first'), { waitMs: 0, staleMs: 1000 })).acquired).toBe(true);
    const first = lockGuardedStore(store, 'first');
    const runId = first.startRun({ head: 'a'.repeat(40), dryRun: false });
    first.setLastGood('host', 'node1', 'a'.repeat(40));

    // The first run is paused past its heartbeat: the second takes over.
    clock += 5000;
    const taken = await store.acquireLock(holder('second'), { waitMs: 0, staleMs: 1000 });
    expect(taken).toMatchObject({ acquired: true, tookOverFrom: { owner: 'first' } });

    expect(() => first.setLastGood('host', 'node1', 'b'.repeat(40))).toThrow(LockLostError);
    expect(() => first.beginAction({ runId, kind: 'host', target: 'node1', sha: 'b'.repeat(40), action: 'switch', from: null, to: null, detail: {} })).toThrow(/lost the deploy lock to steward deploy \(second\)/);
    expect(() => first.finishRun(runId, [])).toThrow(LockLostError);
    expect(() => assertLockHeld(store, 'first')).toThrow(LockLostError);
    // Reads still work, and nothing the first run tried was written.
    expect(first.lastGood('host', 'node1')).toBe('a'.repeat(40));
    expect(first.incompleteActions()).toEqual([]);
    // Its heartbeat and release cannot take the lock back or drop the second run's lock.
    first.heartbeat('first');
    first.releaseLock('first');
    expect(store.lockHolder()?.owner).toBe('second');
    expect(() => assertLockHeld(store, 'second')).not.toThrow();
  });
});
