// Group commit for the listener: intakes that arrive together are written in one transaction, so
// a slow disk sync is paid once per batch, not once per request (SQLite syncs on every commit, and
// better-sqlite3 blocks the event loop while it does). Each request still gets its answer only
// after its batch is on disk.
import type { ServeQueue } from '../../ports/serve-queue.js';

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface IntakeBatcher {
  submit<T>(run: () => T): Promise<T>;
}

export function createIntakeBatcher(queue: ServeQueue, maxBatch = 200): IntakeBatcher {
  let pending: Pending[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = pending.splice(0, maxBatch);
    if (pending.length > 0) schedule();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      queue.batch(() => {
        for (const item of batch) {
          try {
            // Nested: a savepoint, so an intake that throws leaves nothing of itself behind.
            outcomes.push({ ok: true, value: queue.batch(item.run) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of this batch is on disk.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // After the I/O callbacks of this loop turn: every request already read joins the batch.
    setImmediate(flush);
  }

  return {
    submit<T>(run: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}
