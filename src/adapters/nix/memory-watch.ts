// Watches one process's resident memory (Linux /proc) and calls back once it passes a cap:
// how `nix.evalMaxMemoryMB` is enforced on `nix eval`, which has no such limit of its own.
import { readFile } from 'node:fs/promises';

// Often enough to catch a short evaluation's growth; one small /proc read per tick.
const POLL_MS = 25;

/** Resident memory of a process in MiB, or null when it is gone or /proc is not there. */
export async function residentMiB(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status ? /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] : undefined;
  return kb === undefined ? null : Number(kb) / 1024;
}

export interface MemoryWatch {
  /** The highest resident memory seen, in MiB. */
  peakMiB: number;
  exceeded: boolean;
  stop(): void;
}

export function watchMemory(pid: number, capMiB: number, onExceeded: () => void): MemoryWatch {
  const watch: MemoryWatch = { peakMiB: 0, exceeded: false, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    void residentMiB(pid).then((mib) => {
      if (mib === null || watch.exceeded) return;
      watch.peakMiB = Math.max(watch.peakMiB, mib);
      if (mib <= capMiB) return;
      watch.exceeded = true;
      clearInterval(timer);
      onExceeded();
    });
  }, POLL_MS);
  timer.unref();
  return watch;
}
