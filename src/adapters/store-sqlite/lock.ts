// When a recorded lock holder is dead: its process is gone (same machine) or its heartbeat stopped.
// A deploy killed mid-run leaves its lock behind; the next run takes it over and resumes.
import type { LockHolder } from '../../ports/deploy-store.js';

export interface Liveness {
  hostname: string;
  now: number;
  /** Whether a process of this machine is alive. */
  pidAlive: (pid: number) => boolean;
}

export function isStale(holder: LockHolder, staleMs: number, live: Liveness): boolean {
  if (holder.hostname === live.hostname && !live.pidAlive(holder.pid)) return true;
  return live.now - Date.parse(holder.heartbeatAt) > staleMs;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
