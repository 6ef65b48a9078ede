// `steward serve` running: the listener, the durable queue and its workers, the session runner and
// the notifier, started together and stopped together. The command (commands/serve.ts) and the
// demo (src/demo/agent-demo.ts) start the same thing; the demo only swaps the notifier's channels.
import { startServeListener } from '../adapters/http-serve/serve-listener.js';
import { SqliteServeQueue } from '../adapters/store-sqlite/serve-queue.js';
import type { StewardConfig } from '../config/schema.js';
import type { Notifier } from '../ports/notifier.js';
import { runServeJob } from '../stages/serve/run-serve-job.js';
import { startServeWorker } from '../stages/serve/serve-worker.js';
import type { CliContext } from './context.js';
import { createCommandRunner, createNotifier, routeSecrets, workerIdentity } from './serve-wiring.js';
import { buildSessionRunner } from './session-command.js';

export interface ServeRuntimeInput {
  repoRoot: string;
  configFile: string | null;
  config: StewardConfig;
  stateFile: string;
  host: string;
  port: number;
  workers: number;
  /** Default: the channels of `notify` in the config. */
  notifier?: Notifier;
  /** Fixture hosts (demos and tests): every host is a directory <hostsRoot>/<host>. */
  hostsRoot?: string;
  /** Default: llm.mode of the config. */
  llm?: 'off' | 'auto';
  /** How often an idle worker looks at the queue besides being woken by the listener. */
  pollMs?: number;
}

export interface ServeRuntime {
  url: string;
  /** Which routes are served (those whose credentials are configured). */
  routes: string[];
  queue: SqliteServeQueue;
  /** Stops listening, lets running jobs finish or keeps them queued, closes the state. */
  close(): Promise<void>;
}

export async function startServeRuntime(ctx: CliContext, input: ServeRuntimeInput): Promise<ServeRuntime> {
  const { config } = input;
  const secrets = routeSecrets(ctx, config);
  const queue = new SqliteServeQueue({ file: input.stateFile });
  const notifier = input.notifier ?? createNotifier(ctx, config, input.stateFile);
  const sessions = await buildSessionRunner(
    ctx,
    { repo: input.repoRoot, ...(input.configFile ? { config: input.configFile } : {}), state: input.stateFile, ...(input.hostsRoot ? { hostsRoot: input.hostsRoot } : {}), ...(input.llm ? { llm: input.llm } : {}) },
    notifier,
  );
  const commands = createCommandRunner(ctx, { repoRoot: input.repoRoot, configFile: input.configFile, stateFile: input.stateFile, timeoutMs: config.serve.jobTimeoutSeconds * 1000 });
  const jobDeps = { sessions: sessions.runner, notifier, commands, mainBranch: config.serve.github?.mainBranch ?? 'main' };
  const worker = startServeWorker(
    { queue, logger: ctx.logger, identity: workerIdentity(), runJob: (job, signal) => runServeJob(jobDeps, job, signal) },
    { leaseMs: config.serve.leaseSeconds * 1000, jobTimeoutMs: config.serve.jobTimeoutSeconds * 1000, concurrency: input.workers, pollMs: input.pollMs ?? 1_000 },
  );
  const listener = await startServeListener(
    { queue, logger: ctx.logger, onQueued: () => worker.wake() },
    { host: input.host, port: input.port, maxBodyBytes: config.serve.maxBodyBytes, requestTimeoutMs: config.serve.requestTimeoutSeconds * 1000, ...secrets },
  ).catch(async (error: unknown) => {
    await worker.stop();
    sessions.close();
    queue.close();
    throw error;
  });
  return {
    url: listener.url,
    routes: ['/healthz', ...(secrets.alertmanager ? ['/alertmanager'] : []), ...(secrets.github ? ['/github'] : [])],
    queue,
    async close() {
      await listener.close();
      await worker.stop();
      sessions.close();
      queue.close();
    },
  };
}
