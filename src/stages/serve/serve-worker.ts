// The workers of `steward serve`: each claims the oldest runnable job under a lease, renews the
// lease while the job runs, and finishes it. Woken when a webhook queued something; otherwise it
// polls, which is also how it takes over the jobs of a worker that died.
import type { ServeJob, ServeJobResult } from '../../model/serve-job.js';
import type { Logger } from '../../ports/logger.js';
import type { ServeQueue, WorkerIdentity } from '../../ports/serve-queue.js';

export type RunServeJob = (job: ServeJob, signal: AbortSignal) => Promise<ServeJobResult>;

export interface ServeWorkerDeps {
  queue: ServeQueue;
  runJob: RunServeJob;
  logger: Logger;
  identity: WorkerIdentity;
}

export interface ServeWorkerOptions {
  leaseMs: number;
  jobTimeoutMs: number;
  /** Jobs run at once (one per incident at a time whatever this is; deploys serialise on their own lock). */
  concurrency: number;
  /** How often an idle worker looks for jobs it was not woken for (expired leases). */
  pollMs: number;
}

export interface ServeWorker {
  /** A job was queued: look now instead of at the next poll. */
  wake(): void;
  /** Stops claiming, aborts running jobs, waits for them to finish. */
  stop(): Promise<void>;
}

export function startServeWorker(deps: ServeWorkerDeps, options: ServeWorkerOptions): ServeWorker {
  const stopping = new AbortController();
  // Every idle slot waits here; a wake-up releases them all (each then tries to claim).
  const sleepers = new Set<() => void>();
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.pollMs);
      function done() {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
      stopping.signal.addEventListener('abort', done, { once: true });
    });

  async function slot(): Promise<void> {
    while (!stopping.signal.aborted) {
      const job = claim();
      if (job) await runOne(deps, options, job, stopping.signal);
      else await sleep();
    }
  }

  function claim(): ServeJob | null {
    try {
      return deps.queue.claim(deps.identity, options.leaseMs);
    } catch (error) {
      deps.logger.error(`serve: could not claim a job: ${(error as Error).message}`);
      return null;
    }
  }

  const slots = Array.from({ length: options.concurrency }, () => slot());
  return {
    wake: () => {
      for (const done of [...sleepers]) done();
    },
    async stop() {
      stopping.abort();
      await Promise.all(slots);
    },
  };
}

async function runOne(deps: ServeWorkerDeps, options: ServeWorkerOptions, job: ServeJob, stopping: AbortSignal): Promise<void> {
  const { queue, logger, identity } = deps;
  const abort = new AbortController();
  const onStop = () => abort.abort(new Error('steward serve is stopping'));
  stopping.addEventListener('abort', onStop, { once: true });
  const deadline = setTimeout(() => abort.abort(new Error(`job ran longer than ${options.jobTimeoutMs >= 1000 ? `${Math.round(options.jobTimeoutMs / 1000)} s` : `${options.jobTimeoutMs} ms`}`)), options.jobTimeoutMs);
  const heartbeat = setInterval(() => {
    // Another worker took the job over (this one stalled past its lease): stop, it is theirs now.
    if (!queue.renew(job.id, identity.owner, options.leaseMs)) abort.abort(new Error('lease lost'));
  }, Math.max(1_000, Math.floor(options.leaseMs / 3)));
  logger.info(`serve: job ${job.id} (${job.payload.kind}, attempt ${job.attempts}) started`);
  try {
    const result = await deps.runJob(job, abort.signal);
    if (stopping.aborted) return; // Interrupted by a shutdown: left running, so the next start runs it again.
    queue.finish(job.id, identity.owner, result.ok ? 'done' : 'failed', result);
    logger.info(`serve: job ${job.id} ${result.ok ? 'done' : 'failed'}: ${result.summary}`);
  } catch (error) {
    const message = (error as Error).message;
    if (stopping.aborted) return;
    queue.finish(job.id, identity.owner, 'failed', { ok: false, summary: abort.signal.aborted ? String((abort.signal.reason as Error)?.message ?? message) : message });
    logger.error(`serve: job ${job.id} failed: ${message}`);
  } finally {
    clearTimeout(deadline);
    clearInterval(heartbeat);
    stopping.removeEventListener('abort', onStop);
  }
}
