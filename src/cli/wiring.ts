// Builds the real adapters for a repository: git, Nix, the cache and the configuration.
import { defaultCacheDir, FsCache } from '../adapters/cache-fs.js';
import { openGitRepo } from '../adapters/git-cli.js';
import { NixCli } from '../adapters/nix/nix-cli.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { CachePort } from '../ports/cache.js';
import type { GitPort } from '../ports/git.js';
import type { NixPort } from '../ports/nix.js';
import type { CliContext } from './context.js';

export interface RepoWiring {
  git: GitPort;
  nix: NixPort;
  cache: CachePort;
  loaded: LoadedConfig;
}

export interface RepoOptions {
  repo?: string;
  config?: string;
  cacheDir?: string;
  cache?: boolean;
}

export async function wireRepo(ctx: CliContext, options: RepoOptions): Promise<RepoWiring> {
  const git = await openGitRepo(options.repo ?? process.cwd());
  const loaded = await loadConfig(git.root, options.config);
  if (loaded.file) ctx.logger.debug(`config: ${loaded.file}`);
  const nixConfig = loaded.config.nix;
  const nix = new NixCli({
    logger: ctx.logger,
    extraArgs: nixConfig.extraArgs,
    command: ctx.env.STEWARD_NIX ?? 'nix',
    evalTimeoutMs: nixConfig.evalTimeoutSeconds * 1000,
    buildTimeoutMs: nixConfig.buildTimeoutSeconds * 1000,
    ...(nixConfig.evalMaxMemoryMB ? { evalMaxMemoryMB: nixConfig.evalMaxMemoryMB } : {}),
  });
  const cache: CachePort = options.cache === false ? { get: async () => undefined, set: async () => {} } : new FsCache(options.cacheDir ?? defaultCacheDir(ctx.env));
  return { git, nix, cache, loaded };
}
