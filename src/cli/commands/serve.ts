// `steward serve`: the webhook listener (Alertmanager, GitHub) and the workers of its durable queue.
import { type Command, Option } from 'commander';
import { openGitRepo } from '../../adapters/git-cli.js';
import { loadConfig } from '../../config/load.js';
import { ServeConfig } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { action, type CliContext } from '../context.js';
import { stateFileFor } from '../deploy-wiring.js';
import { ExitCode } from '../exit-codes.js';
import { startServeRuntime } from '../serve-runtime.js';

interface ServeFlags {
  repo?: string;
  config?: string;
  state?: string;
  listen?: string;
  workers: number;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Listen for Alertmanager and GitHub webhooks; queue their work durably and run it (sessions, reviews, deploys).')
    .option('--repo <dir>', 'the homelab repository (default: the current directory)')
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--state <file>', 'the state database (default: deploy.stateFile, else $XDG_STATE_HOME/steward/state.db)')
    .option('--listen <host:port>', 'where to listen (default: serve.listen)')
    .addOption(new Option('--workers <n>', 'jobs run at once').default(2).argParser((v) => Number(v)))
    .action(action(program, (ctx, flags: ServeFlags) => serve(ctx, flags)));
}

function splitListen(listen: string): { host: string; port: number } {
  const parsed = ServeConfig.shape.listen.safeParse(listen);
  if (!parsed.success) throw new UsageError(`--listen: expected host:port, got "${listen}"`);
  const colon = listen.lastIndexOf(':');
  return { host: listen.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(listen.slice(colon + 1)) };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

async function serve(ctx: CliContext, flags: ServeFlags): Promise<ExitCode> {
  if (!Number.isInteger(flags.workers) || flags.workers < 1 || flags.workers > 16) throw new UsageError('--workers: expected 1 to 16');
  const git = await openGitRepo(flags.repo ?? process.cwd());
  const loaded = await loadConfig(git.root, flags.config);
  const config = loaded.config;
  const { host, port } = splitListen(flags.listen ?? config.serve.listen);
  const stateFile = stateFileFor(config, git.root, ctx.env, flags.state);
  const runtime = await startServeRuntime(ctx, { repoRoot: git.root, configFile: loaded.file, config, stateFile, host, port, workers: flags.workers });
  ctx.logger.info(`steward serve: listening on ${runtime.url} (${runtime.routes.join(', ')}); state ${stateFile}`);
  if (!isLoopback(host)) ctx.logger.warn(`steward serve: ${host} is reachable from other machines; serve it through a reverse proxy with TLS (credentials and signatures travel in plain HTTP here)`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  ctx.logger.info(`steward serve: ${signal}: stopping (queued work stays queued)`);
  await runtime.close();
  return ExitCode.ok;
}
