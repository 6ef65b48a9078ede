// One runner for the phases of a command (review: review, render, report; deploy: lock, recover,
// plan, apply, reboots, render, report). It runs named phases in the order the command asks for,
// remembers which phase threw (the error itself is passed on unchanged, so its exit code stays
// what it was), and closes every client it was handed when the run ends, however it ends.
import type { Logger } from '../ports/logger.js';

export interface PhaseRecord {
  name: string;
  ms: number;
  ok: boolean;
}

export interface Phases {
  /** Runs one named phase. A phase inside another is named `outer/inner`. */
  run<T>(name: string, work: () => Promise<T> | T): Promise<T>;
  /** Something to close when the run ends (a store, an HTTP client), last registered first. */
  closeLater(close: (() => unknown) | undefined): void;
  /** The phases that ran, in order, with how long each took. */
  readonly ran: readonly PhaseRecord[];
}

const failedPhases = new WeakMap<object, string>();

/** The phase an error was thrown in, when a phase runner saw it. */
export function failedPhaseOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? failedPhases.get(error) : undefined;
}

export async function runPhases<T>(logger: Pick<Logger, 'debug' | 'warn'>, body: (phases: Phases) => Promise<T>): Promise<T> {
  const ran: PhaseRecord[] = [];
  const closers: (() => unknown)[] = [];
  const stack: string[] = [];
  const phases: Phases = {
    ran,
    closeLater(close) {
      if (close) closers.push(close);
    },
    async run(name, work) {
      stack.push(name);
      const full = stack.join('/');
      const started = performance.now();
      logger.debug(`phase ${full}`);
      try {
        const value = await work();
        ran.push({ name: full, ms: Math.round(performance.now() - started), ok: true });
        return value;
      } catch (error) {
        ran.push({ name: full, ms: Math.round(performance.now() - started), ok: false });
        // The innermost phase names the failure; outer phases pass it on as it is.
        if (typeof error === 'object' && error !== null && !failedPhases.has(error)) failedPhases.set(error, full);
        throw error;
      } finally {
        stack.pop();
      }
    },
  };
  try {
    return await body(phases);
  } finally {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn(`closing a client failed: ${(error as Error).message}`);
      }
    }
  }
}

/** A runner for callers that have none (tests, the demo): phases run, nothing is closed. */
export function untracked(): Phases {
  return {
    ran: [],
    closeLater() {},
    run: async (_name, work) => work(),
  };
}
