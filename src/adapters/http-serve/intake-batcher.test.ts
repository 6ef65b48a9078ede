import { describe, expect, it } from 'vitest';
import { SqliteServeQueue } from '../store-sqlite/serve-queue.js';
import { createIntakeBatcher } from './intake-batcher.js';

const job = (n: number) => ({ dedupKey: `deploy:${n}`, payload: { kind: 'deploy' as const, head: String(n).padStart(40, 'a'), ref: 'refs/heads/main' } });

describe('createIntakeBatcher', () => {
  it('writes intakes submitted together in one transaction; one that throws fails alone', async () => {
    const queue = new SqliteServeQueue({ file: ':memory:' });
    let batches = 0;
    let depth = 0;
    const batch = queue.batch.bind(queue);
    queue.batch = (fn) => {
      if (depth++ === 0) batches++;
      try {
        return batch(fn);
      } finally {
        depth--;
      }
    };
    const batcher = createIntakeBatcher(queue);
    const results = await Promise.allSettled([
      batcher.submit(() => queue.intakeDelivery('github', 'd1', job(1))),
      batcher.submit(() => {
        queue.intakeDelivery('github', 'd2', job(2));
        throw new Error('bad intake');
      }),
      batcher.submit(() => queue.intakeDelivery('github', 'd3', job(3))),
    ]);
    expect(batches).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The failed intake's own writes were undone (its savepoint), the others are on disk.
    expect(queue.jobs().map((j) => j.dedupKey)).toEqual(['deploy:1', 'deploy:3']);
    expect(await batcher.submit(() => queue.intakeDelivery('github', 'd2', job(2)))).toMatchObject({ status: 'queued' });
  });
});
