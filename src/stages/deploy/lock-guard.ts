// A deploy that was paused (SIGSTOP, a suspended VM, a stalled runner) past its heartbeat can
// find on waking that another deploy declared it dead and took the lock over. From then on the
// other deploy owns the hosts and the records: this one must not switch, register, stop, or
// write a single record more. Every store write and every side effect checks ownership first.
import type { DeployStore, LockHolder } from '../../ports/deploy-store.js';
import { describeHolder } from './context.js';

export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(readonly holder: LockHolder | null) {
    super(
      holder
        ? `lost the deploy lock to ${describeHolder(holder)} (this run stopped heart-beating, e.g. it was paused); stopping without touching hosts, jobs or records again`
        : 'lost the deploy lock (it was released or taken over while this run was paused); stopping without touching hosts, jobs or records again',
    );
  }
}

/** Throws LockLostError unless `owner` still holds the lock. */
export function assertLockHeld(store: DeployStore, owner: string): void {
  const holder = store.lockHolder();
  if (holder?.owner !== owner) throw new LockLostError(holder);
}

/** Store methods that write: each checks the lock first. Reads and the lock's own methods pass through. */
const WRITES = new Set<keyof DeployStore>(['startRun', 'finishRun', 'beginAction', 'stepAction', 'finishAction', 'setLastGood', 'setFleetBase', 'markBad', 'setPendingReboot', 'clearPendingReboot', 'put']);

/** The store as seen by a run that holds the lock as `owner`. */
export function lockGuardedStore(store: DeployStore, owner: string): DeployStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!WRITES.has(property as keyof DeployStore)) return value.bind(target);
      return (...args: unknown[]) => {
        assertLockHeld(target, owner);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
