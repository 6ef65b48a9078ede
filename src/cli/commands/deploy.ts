// `steward deploy`: the push pipeline (review, gate, activate, verify, roll back, record).
import { type Command, Option } from 'commander';
import { createClaudeCli } from '../../adapters/claude-cli/claude-cli.js';
import { hclJobParser } from '../../adapters/hcl/parse-job-hcl.js';
import { runDeploy } from '../../pipeline/deploy.js';
import { runPhases, type Phases } from '../../pipeline/phase-runner.js';
import type { DeployDeps } from '../../pipeline/deploy-deps.js';
import { DeployReport, type DeployOutcome } from '../../model/deploy-record.js';
import { renderDeployMarkdown } from '../../stages/record/render-deploy.js';
import { action, type CliContext } from '../context.js';
import { createDeployGitHub } from '../deploy-github.js';
import { announceDeploy } from '../deploy-notify.js';
import { clusterClients, createHostFactory, invariantRunners, openStore, stateFileFor } from '../deploy-wiring.js';
import { wireDiagnosis } from '../diagnose-wiring.js';
import { ExitCode } from '../exit-codes.js';
import { actionsContext } from '../github-report.js';
import { stepHooksFromEnv } from '../step-hooks.js';
import { wireRepo, type RepoOptions } from '../wiring.js';
import { GOALS_DIR } from './review.js';

interface DeployFlags extends RepoOptions {
  head?: string;
  rollbackTo?: string;
  unattended?: boolean;
  dryRun?: boolean;
  json?: boolean;
  github?: boolean;
  llm?: 'off' | 'auto' | 'required';
  state?: string;
  hostsRoot?: string;
  mainBranch?: string;
  workers?: number;
}

export const EXIT_FOR: Record<DeployOutcome, ExitCode> = {
  deployed: ExitCode.ok,
  'nothing-to-do': ExitCode.ok,
  planned: ExitCode.ok,
  held: ExitCode.approvalRequired,
  'build-failed': ExitCode.buildFailed,
  'validation-failed': ExitCode.validationFailed,
  failed: ExitCode.deployFailed,
  'preflight-failed': ExitCode.deployFailed,
  'bad-commit': ExitCode.deployFailed,
  refused: ExitCode.backwards,
};

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description('Deploy a commit: review each target against its last deployed commit, hold risky changes, activate hosts and jobs, verify, roll back on failure.')
    .option('--repo <dir>', 'the homelab repository', process.cwd())
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--head <rev>', 'the commit to deploy (default: HEAD)')
    .addOption(new Option('--rollback-to <rev>', 'deploy this older commit on purpose (builds and switches); recorded as a rollback').conflicts('head'))
    .option('--dry-run', 'review, gate and pre-flight, print the plan, change nothing')
    .option('--json', 'print one JSON document (schema steward.deploy/v1)')
    .option('--github', 'approval pull requests for risky commits; the check, the PR comment and Deployments on GitHub')
    .option('--state <file>', 'the state database (default: deploy.stateFile, else $XDG_STATE_HOME/steward/state.db)')
    .option('--main-branch <name>', 'the branch approvals are merged into (default: the pushed branch, else main)')
    .option('--cache-dir <dir>', 'where drvPaths of earlier runs are cached (default: $XDG_CACHE_HOME/steward)')
    .option('--no-cache', 'ignore and do not write cached results')
    .addOption(new Option('--workers <n>', 'evaluation processes (default: one per core)').argParser((v) => Number(v)))
    .addOption(new Option('--llm <mode>', 'LLM review with Claude Code: off, auto, required (default: llm.mode)').choices(['off', 'auto', 'required']))
    .addOption(new Option('--unattended', 'started by an agent session: --rollback-to carries no implicit approval (a risky rollback is held)').hideHelp())
    .addOption(new Option('--hosts-root <dir>', 'demos and tests: every host is a fixture directory <dir>/<host>').hideHelp())
    .action(action(program, (ctx, flags: DeployFlags) => deploy(ctx, flags)));
}

/** Phases: wire, lock, recover, plan, apply, reboots (pipeline/deploy), render, report; clients closed however it ends. */
async function deploy(ctx: CliContext, flags: DeployFlags): Promise<ExitCode> {
  return runPhases(ctx.logger, (phases) => deployPhases(ctx, flags, phases));
}

async function deployPhases(ctx: CliContext, flags: DeployFlags, phases: Phases): Promise<ExitCode> {
  const { git, nix, cache, loaded } = await phases.run('wire', () => wireRepo(ctx, flags));
  const config = flags.llm ? { ...loaded.config, llm: { ...loaded.config.llm, mode: flags.llm } } : loaded.config;
  const stateFile = stateFileFor(config, git.root, ctx.env, flags.state);
  const store = openStore(stateFile);
  phases.closeLater(() => store.close());
  const { nomad, consul } = clusterClients(ctx, config);
  phases.closeLater(() => nomad?.close());
  phases.closeLater(() => consul?.close());
  const hostsRoot = flags.hostsRoot ?? ctx.env.STEWARD_HOSTS_ROOT;
  const diagnosis = await phases.run('wire', () => wireDiagnosis(ctx, config, { stateFile, git, ...(flags.config ? { configFile: flags.config } : {}), ...(hostsRoot ? { hostsRoot } : {}) }));
  phases.closeLater(() => diagnosis.close());
  const run = flags.github ? await actionsContext(ctx.env) : null;
  const mainBranch = flags.mainBranch ?? (ctx.env.GITHUB_REF_TYPE === 'branch' ? ctx.env.GITHUB_REF_NAME : undefined) ?? 'main';
  const github = flags.github ? createDeployGitHub(ctx, config, { store, mainBranch, runUrl: run?.runUrl ?? null }) : null;
  const claude = config.llm.mode === 'off' ? undefined : createClaudeCli({ command: config.llm.command, env: { source: ctx.env }, logger: ctx.logger, redactor: ctx.redactor });
  const deps: DeployDeps = {
    git,
    nix,
    cache,
    hcl: hclJobParser,
    logger: ctx.logger,
    redactor: ctx.redactor,
    goalsDir: GOALS_DIR,
    store,
    cluster: { ...(nomad ? { nomad } : {}), ...(consul ? { consul } : {}) },
    hostFor: createHostFactory(ctx, config, { ...(flags.hostsRoot ?? ctx.env.STEWARD_HOSTS_ROOT ? { hostsRoot: flags.hostsRoot ?? ctx.env.STEWARD_HOSTS_ROOT } : {}) }),
    invariantDeps: invariantRunners(ctx),
    hooks: stepHooksFromEnv(ctx.env, ctx.logger),
    ...(nomad ? { nomad } : {}),
    ...(consul ? { consul } : {}),
    ...(claude ? { claude } : {}),
    ...(github ? { approvals: github.approvals } : {}),
    diagnosis,
  };
  const command = `steward deploy${flags.head ? ` --head ${flags.head}` : ''}${flags.rollbackTo ? ` --rollback-to ${flags.rollbackTo}` : ''}`;
  const result = await runDeploy(deps, { head: flags.head, ...(flags.rollbackTo ? { rollbackTo: flags.rollbackTo } : {}), dryRun: flags.dryRun ?? false, config, command, ...(flags.unattended ? { unattended: true } : {}), ...(flags.workers ? { workers: flags.workers } : {}), ...(flags.cache === false ? { noLlmCache: true } : {}) }, phases);
  if (result.kind === 'locked' || result.kind === 'lock-lost') {
    ctx.logger.error(result.message);
    if (flags.json) ctx.out(JSON.stringify({ schema: 'steward.deploy/v1', outcome: result.kind, holder: result.holder, message: result.message }, null, 2));
    return ExitCode.locked;
  }
  const markdown = await phases.run('render', () => renderDeployMarkdown(result.report));
  ctx.out(flags.json ? JSON.stringify(DeployReport.parse(result.report), null, 2) : markdown);
  // What was deployed stays the answer: a report GitHub refused is a warning, not a failed deploy.
  if (github && !result.report.dryRun) {
    await phases.run('report', () => github.report(result.report, markdown)).catch((error: unknown) => ctx.logger.error(`could not report to GitHub: ${(error as Error).message}`));
  }
  // A held risky change or a failed deploy reaches `notify` (a failed notification is a warning).
  if (!result.report.dryRun) await announceDeploy(ctx, config, stateFile, { head: result.report.head, exitCode: EXIT_FOR[result.report.outcome], markdown });
  return EXIT_FOR[result.report.outcome];
}
