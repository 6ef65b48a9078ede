// Builds what `steward deploy` and `steward history` need beyond the review's wiring: the state
// store, a HostSystem per host (local, SSH, or fixture hosts under --hosts-root), the Nomad and
// Consul clients, and the invariant runners.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { consulClientFromConfig } from '../adapters/consul-http/from-config.js';
import type { ConsulClient } from '../adapters/consul-http/client.js';
import { createLocalTransport, runShell } from '../adapters/host-local/local-transport.js';
import { createSshTransport } from '../adapters/host-ssh/ssh-transport.js';
import { NixosHost } from '../adapters/nixos-host/nixos-host.js';
import { nomadClientFromConfig } from '../adapters/nomad-http/from-config.js';
import type { NomadClient } from '../adapters/nomad-http/client.js';
import { defaultStateFile, SqliteDeployStore } from '../adapters/store-sqlite/sqlite-store.js';
import type { StewardConfig } from '../config/schema.js';
import type { HostSystem } from '../ports/host.js';
import type { InvariantDeps } from '../stages/verify/invariants.js';
import type { CliContext } from './context.js';

/** --state, then STEWARD_STATE_FILE, then deploy.stateFile (relative to the repository), then $XDG_STATE_HOME/steward/state.db. */
export function stateFileFor(config: StewardConfig, repoRoot: string, env: NodeJS.ProcessEnv, flag?: string): string {
  const chosen = flag ?? env.STEWARD_STATE_FILE ?? config.deploy.stateFile;
  if (!chosen) return defaultStateFile(env);
  return path.isAbsolute(chosen) || flag || env.STEWARD_STATE_FILE ? path.resolve(chosen) : path.resolve(repoRoot, chosen);
}

export function openStore(file: string): SqliteDeployStore {
  return new SqliteDeployStore({ file });
}

/**
 * `hostsRoot` (demos and tests): every host is a fixture directory `<hostsRoot>/<host>`, reached
 * through the local transport. Otherwise `hosts.<name>.target`: `local`, or an SSH destination.
 */
export function createHostFactory(ctx: CliContext, config: StewardConfig, options: { hostsRoot?: string }): (name: string) => HostSystem | null {
  const cache = new Map<string, HostSystem | null>();
  const build = (name: string): HostSystem | null => {
    const nixos = { profile: config.deploy.profile, redactor: ctx.redactor };
    if (options.hostsRoot) {
      const root = path.resolve(options.hostsRoot, name);
      return existsSync(root) ? new NixosHost(createLocalTransport({ host: name, root, env: ctx.env }), nixos) : null;
    }
    const target = config.hosts[name]?.target;
    if (!target) return null;
    if (target === 'local') return new NixosHost(createLocalTransport({ host: name, env: ctx.env }), nixos);
    return new NixosHost(createSshTransport({ host: name, target, sshOptions: config.deploy.sshOptions, env: ctx.env, redactor: ctx.redactor }), nixos);
  };
  return (name) => {
    if (!cache.has(name)) cache.set(name, build(name));
    return cache.get(name) ?? null;
  };
}

export function clusterClients(ctx: CliContext, config: StewardConfig): { nomad?: NomadClient; consul?: ConsulClient } {
  const deps = { env: ctx.env, logger: ctx.logger, redactor: ctx.redactor };
  const nomad = nomadClientFromConfig(config.nomad, deps);
  const consul = consulClientFromConfig(config.consul, deps);
  return { ...(nomad ? { nomad } : {}), ...(consul ? { consul } : {}) };
}

export function invariantRunners(ctx: CliContext): Omit<InvariantDeps, 'hostFor'> {
  return {
    async runLocal(argv, timeoutMs) {
      const result = await runShell('', { timeoutMs }, ctx.env, argv);
      return { exitCode: result.exitCode, output: ctx.redactor.redact(result.stdout + result.stderr), timedOut: result.timedOut };
    },
    async httpStatus(url, timeoutMs) {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      return response.status;
    },
  };
}
