// The inputs of action.yml, and how they and steward.json's `github` settings resolve into the
// settings the GitHub adapter takes. A drift test keeps this list, action.yml and the README equal.
import type { z } from 'zod';
import type { GithubConfig as GithubConfigSchema } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';

/** steward.json's `github` section after defaults (the schema exports no type of its own). */
export type GithubConfig = z.output<typeof GithubConfigSchema>;
type GithubKey = keyof GithubConfig;

export interface ActionInput {
  name: string;
  description: string;
  required: boolean;
  default: string;
  /** The `github` setting of steward.json this input stands for. */
  configKey?: GithubKey;
}

export const ACTION_INPUTS: readonly ActionInput[] = [
  { name: 'command', description: 'The steward command to run: `review` (pull requests), `deploy` (pushes to the main branch) or `propose` (scheduled proposals).', required: true, default: '' },
  { name: 'args', description: 'Extra arguments for the command, split on spaces (e.g. `--no-build`).', required: false, default: '' },
  { name: 'config', description: 'Path of steward.json, relative to working-directory.', required: false, default: 'steward.json' },
  { name: 'working-directory', description: 'The homelab repository checkout.', required: false, default: '.' },
  {
    name: 'github-token',
    description: 'Token for check runs, the PR comment, approval PRs and deployments. Exported as GITHUB_TOKEN, the variable `github.tokenEnv` names by default.',
    required: false,
    default: '${{ github.token }}',
    configKey: 'tokenEnv',
  },
  { name: 'repository', description: 'owner/name to report to; empty uses `github.repository` from steward.json, then the workflow repository.', required: false, default: '', configKey: 'repository' },
  { name: 'api-url', description: 'GitHub API URL (GitHub Enterprise Server); empty uses `github.apiUrl` from steward.json, then the workflow API URL.', required: false, default: '', configKey: 'apiUrl' },
  { name: 'steward-command', description: 'How to run Steward if it is installed already (e.g. `steward` from the NixOS module); empty builds it from the action source.', required: false, default: '' },
  { name: 'node-version', description: 'Node.js version used to build and run Steward from source.', required: false, default: '20' },
];

export interface GitHubSettings {
  repository: string;
  apiUrl: string;
  token: string;
  tokenEnv: string;
}

/**
 * Action input (exported by action.yml as STEWARD_GITHUB_*) beats steward.json, which beats the
 * workflow's own GITHUB_REPOSITORY / GITHUB_API_URL. Every missing piece is reported at once.
 */
export function resolveGitHubSettings(config: GithubConfig, env: Record<string, string | undefined>): GitHubSettings {
  const pick = (...values: Array<string | undefined>) => values.find((v) => v !== undefined && v.trim() !== '')?.trim();
  const repository = pick(env.STEWARD_GITHUB_REPOSITORY, config.repository, env.GITHUB_REPOSITORY);
  const apiUrl = pick(env.STEWARD_GITHUB_API_URL, config.apiUrl, env.GITHUB_API_URL) ?? 'https://api.github.com';
  const token = pick(env[config.tokenEnv]);
  const problems: string[] = [];
  if (!repository) problems.push('github.repository: not set (steward.json, the action input `repository`, or GITHUB_REPOSITORY)');
  else if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) problems.push(`github.repository: must be owner/name, got "${repository}"`);
  if (!token) problems.push(`github.tokenEnv: the environment variable ${config.tokenEnv} is empty`);
  if (problems.length > 0) throw new ConfigError('GitHub settings', problems);
  return { repository: repository!, apiUrl, token: token!, tokenEnv: config.tokenEnv };
}
