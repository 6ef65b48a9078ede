// `steward propose`: the deterministic proposers (image updates), each result built and classified
// in a throwaway worktree, then opened as a PR under Renovate's hygiene rules. `--dry-run` prints
// what GitHub would receive and writes nothing.
import { type Command, Option } from 'commander';
import { resolveGitHubSettings } from '../../adapters/github-actions/action-inputs.js';
import { createGitHubPort } from '../../adapters/github-octokit/github-port.js';
import { createProposalWorktrees } from '../../adapters/git-worktree/proposal-worktree.js';
import { createFlakeInputUpdater } from '../../adapters/nix-flake/flake-input-updater.js';
import { nomadClientFromConfig } from '../../adapters/nomad-http/from-config.js';
import { createOciRegistry } from '../../adapters/oci-registry/oci-registry.js';
import { SqliteProposalStore } from '../../adapters/store-sqlite/proposal-store.js';
import { planProposals } from '../../agent/propose/plan-proposals.js';
import { runPropose, type ProposalOutcome } from '../../agent/propose/run-propose.js';
import type { StewardConfig } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { runReview } from '../../pipeline/review.js';
import { action, type CliContext } from '../context.js';
import { stateFileFor } from '../deploy-wiring.js';
import { ExitCode } from '../exit-codes.js';
import { runGoalProposer } from '../propose-goal.js';
import { wireRepo, type RepoOptions } from '../wiring.js';
import { GOALS_DIR } from './review.js';

interface ProposeFlags extends RepoOptions {
  state?: string;
  base?: string;
  build: boolean;
  dryRun?: boolean;
  json?: boolean;
  registry: string[];
  llm?: 'off' | 'auto';
}

export function registerPropose(program: Command): void {
  program
    .command('propose')
    .description('Propose changes as pull requests: flake inputs, images within the same major, memory right-sizing, and one change toward goals/proactive.md; each built and classified first; never merged by Steward.')
    .option('--repo <dir>', 'the homelab repository (default: the current directory)')
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--state <file>', 'state database (default: deploy.stateFile)')
    .option('--base <branch>', 'the branch proposals target (default: agent.mainBranch)')
    .option('--no-build', 'diff-level classification only: do not evaluate or build with Nix')
    .option('--dry-run', 'plan, build and classify; print the PRs GitHub would receive; write nothing')
    .option('--json', 'print the outcomes as JSON')
    .addOption(new Option('--llm <mode>', 'goal proposals with Claude Code toward goals/proactive.md: off, or auto (when `claude` is available); default: off when llm.mode is off').choices(['off', 'auto']))
    .option('--registry <host=url>', 'read tags of a registry host from another base URL (repeatable; adds to propose.registries)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(action(program, (ctx, flags: ProposeFlags) => propose(ctx, flags)));
}

async function propose(ctx: CliContext, flags: ProposeFlags): Promise<ExitCode> {
  const { git, nix, cache, loaded } = await wireRepo(ctx, flags);
  const config = loaded.config;
  const baseBranch = flags.base ?? config.agent.mainBranch;
  const localBase = await git.resolve(baseBranch).catch(() => git.resolve('HEAD'));
  const registry = createOciRegistry({ endpoints: { ...config.propose.registries, ...parseRegistryFlags(flags.registry) } });
  const worktrees = createProposalWorktrees(git.root);
  const flakeUpdater = createFlakeInputUpdater({ command: ctx.env.STEWARD_NIX ?? 'nix', extraArgs: config.nix.extraArgs, env: ctx.env, timeoutMs: config.nix.evalTimeoutSeconds * 1000, redactor: ctx.redactor });
  const nomad = nomadClientFromConfig(config.nomad, { env: ctx.env, logger: ctx.logger, redactor: ctx.redactor });
  const proposals = await planProposals({ git, registry, worktrees, flakeUpdater, ...(nomad ? { nomad } : {}), logger: ctx.logger }, { base: localBase, jobGlobs: config.nomad.jobs, nixDir: config.nix.dir, config: config.propose });
  const stateFile = stateFileFor(config, git.root, ctx.env, flags.state);
  const llm = flags.llm ?? (config.llm.mode === 'off' ? 'off' : 'auto');
  if (config.propose.goal && llm === 'auto') {
    const goal = await runGoalProposer(ctx, { config, repoRoot: git.root, stateFile, ...(flags.config ? { configFile: flags.config } : {}), base: localBase, worktrees });
    if (goal) proposals.push(goal);
  }
  ctx.logger.info(`${proposals.length} proposal${proposals.length === 1 ? '' : 's'} planned on ${baseBranch} (${localBase.slice(0, 12)})`);

  const github = flags.dryRun ? null : githubPort(ctx, config);
  const store = new SqliteProposalStore({ file: stateFile });
  try {
    const outcomes = await runPropose(
      {
        github,
        worktrees,
        store,
        review: async (base, head) =>
          (await runReview({ git, nix, cache, logger: ctx.logger, redactor: ctx.redactor, goalsDir: GOALS_DIR }, { base, head, exactBase: true, noBuild: !flags.build, config: { ...config, llm: { ...config.llm, mode: 'off' } } })).report,
        logger: ctx.logger,
        now: () => new Date(),
      },
      { baseBranch, localBase, identity: { name: config.propose.authorName, email: config.propose.authorEmail }, maxOpen: config.propose.maxOpen, maxNewPerDay: config.propose.maxNewPerDay, dryRun: flags.dryRun === true },
      proposals,
    );
    ctx.out(flags.json ? JSON.stringify(outcomes, null, 2) : renderOutcomes(outcomes, flags.dryRun === true));
    return ExitCode.ok;
  } finally {
    store.close();
    nomad?.close();
  }
}

function githubPort(ctx: CliContext, config: StewardConfig) {
  const settings = resolveGitHubSettings(config.github, ctx.env);
  return createGitHubPort({ repository: settings.repository, token: settings.token, baseUrl: settings.apiUrl, redactor: ctx.redactor, logger: ctx.logger });
}

function parseRegistryFlags(values: string[]): Record<string, string> {
  const endpoints: Record<string, string> = {};
  for (const value of values) {
    const m = /^([^=\s]+)=(https?:\/\/\S+)$/.exec(value);
    if (!m) throw new UsageError(`--registry expects host=url, got "${value}"`);
    endpoints[m[1]!] = m[2]!;
  }
  return endpoints;
}

export function renderOutcomes(outcomes: ProposalOutcome[], withBodies: boolean): string {
  if (outcomes.length === 0) return 'No proposals: everything is current.';
  const lines: string[] = [];
  for (const o of outcomes) {
    lines.push(`${o.result.padEnd(12)} ${o.topic}: ${o.title}${o.label ? ` [${o.label}]` : ''}${o.prNumber ? ` #${o.prNumber}` : ''} (${o.why})`);
    if (withBodies && o.body) lines.push('', o.body, '');
  }
  return lines.join('\n');
}
