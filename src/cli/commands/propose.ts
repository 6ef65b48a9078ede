// `steward propose`: the deterministic proposers (image updates), each result built and classified
// in a throwaway worktree, then opened as a PR under Renovate's hygiene rules. `--dry-run` prints
// what GitHub would receive and writes nothing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { resolveGitHubSettings } from '../../adapters/github-actions/action-inputs.js';
import { createOctokitClient } from '../../adapters/github-octokit/client.js';
import { createGitHubPort } from '../../adapters/github-octokit/github-port.js';
import { createGitHubDashboard } from '../../adapters/proposal-dashboard/github-dashboard.js';
import { updateDashboard } from '../../agent/propose/dashboard.js';
import { createProposalWorktrees } from '../../adapters/git-worktree/proposal-worktree.js';
import { createFlakeInputUpdater } from '../../adapters/nix-flake/flake-input-updater.js';
import { nomadClientFromConfig } from '../../adapters/nomad-http/from-config.js';
import { createOciRegistry } from '../../adapters/oci-registry/oci-registry.js';
import { SqliteProposalStore } from '../../adapters/store-sqlite/proposal-store.js';
import { SqliteSessionStore } from '../../adapters/store-sqlite/session-store.js';
import { SqliteDiagnosisStore } from '../../adapters/store-sqlite/diagnosis-store.js';
import { learnedFromSuggestions } from '../../agent/propose/knowledge-suggestions.js';
import type { LearnedEntry } from '../../agent/propose/knowledge-proposal.js';
import { planProposals } from '../../agent/propose/plan-proposals.js';
import type { Proposal } from '../../agent/propose/proposal.js';
import { runPropose, type ProposalOutcome } from '../../agent/propose/run-propose.js';
import { renderWantPrompt } from '../../agent/propose/want-prompt.js';
import type { ProposalWorktreePort } from '../../ports/proposal-worktree.js';
import type { StewardConfig } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { runReview } from '../../pipeline/review.js';
import { action, type CliContext } from '../context.js';
import { stateFileFor } from '../deploy-wiring.js';
import { ExitCode } from '../exit-codes.js';
import { runAgentChange, runGoalProposer } from '../propose-goal.js';
import { wireRepo, type RepoOptions } from '../wiring.js';
import { GOALS_DIR } from './review.js';
import { hclJobParser } from '../../adapters/hcl/parse-job-hcl.js';

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

  program
    .command('want')
    .description('Intent to PR: a Claude Code session makes the change toward an outcome in a throwaway worktree; built, classified and opened as a PR, or answered with a question or alternative.')
    .argument('<outcome>', 'what you want, e.g. "run Synapse behind the auth middleware"')
    .option('--repo <dir>', 'the homelab repository (default: the current directory)')
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--state <file>', 'state database (default: deploy.stateFile)')
    .option('--base <branch>', 'the branch the PR targets (default: agent.mainBranch)')
    .option('--no-build', 'diff-level classification only: do not evaluate or build with Nix')
    .option('--dry-run', 'make and classify the change; print the PR; write nothing to GitHub')
    .option('--json', 'print the outcome as JSON')
    .action(action(program, (ctx, outcome: string, flags: WantFlags) => want(ctx, outcome, flags)));
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
  // Closed however planning or opening ends (a registry, a worktree or Claude may throw).
  try {
    const learned = () => learnedKnowledge(stateFileFor(config, git.root, ctx.env, flags.state));
    const proposals = await planProposals({ git, hcl: hclJobParser, registry, worktrees, flakeUpdater, learned, ...(nomad ? { nomad } : {}), logger: ctx.logger }, { base: localBase, jobGlobs: config.nomad.jobs, nixDir: config.nix.dir, config: config.propose });
    const stateFile = stateFileFor(config, git.root, ctx.env, flags.state);
    const llm = flags.llm ?? (config.llm.mode === 'off' ? 'off' : 'auto');
    if (config.propose.goal && llm === 'auto') {
      const goal = await runGoalProposer(ctx, { config, repoRoot: git.root, stateFile, ...(flags.config ? { configFile: flags.config } : {}), base: localBase, worktrees });
      if (goal) proposals.push(goal);
    }
    ctx.logger.info(`${proposals.length} proposal${proposals.length === 1 ? '' : 's'} planned on ${baseBranch} (${localBase.slice(0, 12)})`);

    const outcomes = await openProposals(ctx, { wiring: { git, nix, cache, loaded }, flags, stateFile, baseBranch, localBase, worktrees, caps: config.propose }, proposals);
    ctx.out(flags.json ? JSON.stringify(outcomes, null, 2) : renderOutcomes(outcomes, flags.dryRun === true));
    return ExitCode.ok;
  } finally {
    nomad?.close();
  }
}

interface OpenInput {
  wiring: Awaited<ReturnType<typeof wireRepo>>;
  flags: { build: boolean; dryRun?: boolean };
  stateFile: string;
  baseBranch: string;
  localBase: string;
  worktrees: ProposalWorktreePort;
  caps: { maxOpen: number; maxNewPerDay: number };
}

/** Builds, classifies and opens proposals (the same path for every kind). */
async function openProposals(ctx: CliContext, input: OpenInput, proposals: Proposal[]): Promise<ProposalOutcome[]> {
  const { git, nix, cache, loaded } = input.wiring;
  const config = loaded.config;
  const github = input.flags.dryRun ? null : githubPort(ctx, config);
  const store = new SqliteProposalStore({ file: input.stateFile });
  try {
    const outcomes = await runPropose(
      {
        github,
        worktrees: input.worktrees,
        store,
        review: async (base, head) =>
          (await runReview({ git, nix, cache, hcl: hclJobParser, logger: ctx.logger, redactor: ctx.redactor, goalsDir: GOALS_DIR }, { base, head, exactBase: true, noBuild: !input.flags.build, config: { ...config, llm: { ...config.llm, mode: 'off' } } })).report,
        logger: ctx.logger,
        now: () => new Date(),
      },
      { baseBranch: input.baseBranch, localBase: input.localBase, identity: { name: config.propose.authorName, email: config.propose.authorEmail }, maxOpen: input.caps.maxOpen, maxNewPerDay: input.caps.maxNewPerDay, dryRun: input.flags.dryRun === true },
      proposals,
    );
    if (config.propose.dashboard && !input.flags.dryRun) {
      const settings = resolveGitHubSettings(config.github, ctx.env);
      const octokit = createOctokitClient({ token: settings.token, baseUrl: settings.apiUrl, redactor: ctx.redactor, logger: ctx.logger });
      const issue = await updateDashboard(createGitHubDashboard({ octokit, repository: settings.repository, redactor: ctx.redactor }), store, outcomes);
      ctx.logger.info(`dashboard: issue #${issue}`);
    }
    return outcomes;
  } finally {
    store.close();
  }
}

interface WantFlags extends RepoOptions {
  state?: string;
  base?: string;
  build: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `steward want "<outcome>"`: a session toward the outcome; a PR, or a question or alternative instead. */
async function want(ctx: CliContext, outcome: string, flags: WantFlags): Promise<ExitCode> {
  const wiring = await wireRepo(ctx, flags);
  const { git, loaded } = wiring;
  const config = loaded.config;
  const baseBranch = flags.base ?? config.agent.mainBranch;
  const localBase = await git.resolve(baseBranch).catch(() => git.resolve('HEAD'));
  const stateFile = stateFileFor(config, git.root, ctx.env, flags.state);
  const worktrees = createProposalWorktrees(git.root);
  const goal = renderWantPrompt(await readFile(path.join(GOALS_DIR, 'want.md'), 'utf8'), outcome);
  const result = await runAgentChange(ctx, { config, repoRoot: git.root, stateFile, ...(flags.config ? { configFile: flags.config } : {}), base: localBase, worktrees, goal, topicPrefix: 'want' });
  if (!result) {
    ctx.logger.error(`\`${config.llm.command}\` is not available: an intent request needs Claude Code (steward doctor)`);
    return ExitCode.missingDependency;
  }
  if (!result.proposal) {
    // The model's own words, as plain terminal text (no control characters).
    const note = result.note.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim() || 'no change was made';
    ctx.out(flags.json ? JSON.stringify({ result: 'answered', note }, null, 2) : `No pull request: ${note}`);
    return ExitCode.ok;
  }
  // A person asked: the caps on unsolicited proposals do not apply.
  const outcomes = await openProposals(ctx, { wiring, flags, stateFile, baseBranch, localBase, worktrees, caps: { maxOpen: Number.POSITIVE_INFINITY, maxNewPerDay: Number.POSITIVE_INFINITY } }, [result.proposal]);
  ctx.out(flags.json ? JSON.stringify(outcomes, null, 2) : renderOutcomes(outcomes, flags.dryRun === true));
  return ExitCode.ok;
}

function githubPort(ctx: CliContext, config: StewardConfig) {
  const settings = resolveGitHubSettings(config.github, ctx.env);
  return createGitHubPort({ repository: settings.repository, token: settings.token, baseUrl: settings.apiUrl, redactor: ctx.redactor, logger: ctx.logger });
}

/** Knowledge entries of the recent session records, newest first, then the deploy diagnoses' suggestions. */
function learnedKnowledge(stateFile: string): LearnedEntry[] {
  const store = new SqliteSessionStore({ file: stateFile });
  const diagnoses = new SqliteDiagnosisStore({ file: stateFile });
  try {
    const fromSessions = store.sessions({ limit: 50 }).flatMap((record) => (record.answer?.knowledge ?? []).map((entry) => ({ entry, sessionId: record.id })));
    return [...fromSessions, ...learnedFromSuggestions(diagnoses.knowledgeSuggestions(50))];
  } finally {
    diagnoses.close();
    store.close();
  }
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
