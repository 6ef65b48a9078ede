// Builds a SessionEnvironment for `steward check|on-failure|ask|mcp`: the repository and config,
// the state file (deploy history, session and action records), host transports (SSH, local, or
// fixture hosts under --hosts-root), Nomad and Consul clients.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createHostDiagnostics } from '../adapters/host-diagnostics/host-diagnostics.js';
import { createLocalTransport } from '../adapters/host-local/local-transport.js';
import { createSshTransport } from '../adapters/host-ssh/ssh-transport.js';
import { openGitRepo } from '../adapters/git-cli.js';
import { SqliteSessionStore } from '../adapters/store-sqlite/session-store.js';
import { loadConfig } from '../config/load.js';
import type { StewardConfig } from '../config/schema.js';
import type { SessionEnvironment } from '../agent/session/environment.js';
import type { HostDiagnostics } from '../ports/host-diagnostics.js';
import type { GitPort } from '../ports/git.js';
import { GOALS_DIR } from './commands/review.js';
import type { CliContext } from './context.js';
import { clusterClients, openStore, stateFileFor } from './deploy-wiring.js';
import { createDeployCommand } from './session-deploy.js';

/** A deploy action waits at most this long (the deploy holds its own finer deadlines). */
const DEPLOY_ACTION_TIMEOUT_MS = 2 * 3600_000;

export interface SessionFlags {
  repo?: string;
  config?: string;
  state?: string;
  hostsRoot?: string;
}

export interface SessionWiring {
  env: SessionEnvironment;
  stateFile: string;
  close(): void;
}

export async function wireSession(ctx: CliContext, flags: SessionFlags): Promise<SessionWiring> {
  // Outside a repository (on a host, from systemd) the configuration file alone is enough.
  const git: GitPort | null = await openGitRepo(flags.repo ?? process.cwd()).catch(() => null);
  const config: StewardConfig = (await loadConfig(git?.root ?? process.cwd(), flags.config)).config;
  const stateFile = stateFileFor(config, git?.root ?? process.cwd(), ctx.env, flags.state);
  const deployStore = openStore(stateFile);
  const store = new SqliteSessionStore({ file: stateFile });
  const { nomad, consul } = clusterClients(ctx, config);
  const hostNames = flags.hostsRoot ? fixtureHosts(flags.hostsRoot) : Object.keys(config.hosts);
  const cache = new Map<string, HostDiagnostics | null>();
  const diagnosticsFor = (name: string): HostDiagnostics | null => {
    if (!cache.has(name)) cache.set(name, buildDiagnostics(ctx, config, name, flags.hostsRoot));
    return cache.get(name) ?? null;
  };
  const env: SessionEnvironment = {
    config,
    hostNames,
    diagnosticsFor,
    ...(nomad ? { nomad } : {}),
    ...(consul ? { consul } : {}),
    deployHistory: (limit) => deployStore.history({ limit }),
    ...(git ? { git } : {}),
    // The deploy actions need the repository the deploy reads (its commits, flake, jobs).
    ...(git ? { deploy: createDeployCommand(ctx, { repoRoot: git.root, ...(flags.config ? { configFile: path.resolve(flags.config) } : {}), stateFile, ...(flags.hostsRoot ? { hostsRoot: path.resolve(flags.hostsRoot) } : {}), timeoutMs: DEPLOY_ACTION_TIMEOUT_MS }) } : {}),
    goalsDir: GOALS_DIR,
    store,
    redactor: ctx.redactor,
    logger: ctx.logger,
  };
  return {
    env,
    stateFile,
    close() {
      nomad?.close();
      consul?.close();
      store.close();
      deployStore.close();
    },
  };
}

function fixtureHosts(root: string): string[] {
  return existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
}

export function buildDiagnostics(ctx: CliContext, config: StewardConfig, name: string, hostsRoot?: string): HostDiagnostics | null {
  if (hostsRoot) {
    const root = path.resolve(hostsRoot, name);
    return existsSync(root) ? createHostDiagnostics(createLocalTransport({ host: name, root, env: ctx.env }), ctx.redactor) : null;
  }
  const target = config.hosts[name]?.target;
  if (!target) return null;
  const transport = target === 'local' ? createLocalTransport({ host: name, env: ctx.env }) : createSshTransport({ host: name, target, sshOptions: config.deploy.sshOptions, env: ctx.env, redactor: ctx.redactor });
  return createHostDiagnostics(transport, ctx.redactor);
}
