// `steward review` and `steward classify`: the analysis of a change, as markdown or JSON.
import { type Command, Option } from 'commander';
import { fileURLToPath } from 'node:url';
import { createClaudeCli } from '../../adapters/claude-cli/claude-cli.js';
import { hclJobParser } from '../../adapters/hcl/parse-job-hcl.js';
import { nomadClientFromConfig } from '../../adapters/nomad-http/from-config.js';
import { renderLlmSection } from '../../agent/classify/index.js';
import { PACKAGE_ROOT } from '../../version.js';
import type { AnalysisLevel } from '../../model/changeset.js';
import { ReviewReport } from '../../model/review.js';
import { runPhases, type Phases } from '../../pipeline/phase-runner.js';
import { runReview } from '../../pipeline/review.js';
import { reportReviewToGitHub } from '../../stages/report/github/report-review.js';
import { renderReviewMarkdown } from '../../stages/report/render-review-markdown.js';
import { action, type CliContext } from '../context.js';
import { actionsContext, githubReportDeps } from '../github-report.js';
import { ExitCode } from '../exit-codes.js';
import { wireRepo, type RepoOptions } from '../wiring.js';

interface ReviewFlags extends RepoOptions {
  base?: string;
  head?: string;
  build: boolean;
  level?: AnalysisLevel;
  json?: boolean;
  workers?: number;
  llm?: 'off' | 'auto' | 'required';
  github?: boolean;
  pr?: number;
}

export function registerReview(program: Command): void {
  const common = (cmd: Command) =>
    cmd
      .option('--repo <dir>', 'the homelab repository (default: the current directory)')
      .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
      .option('--no-build', 'diff-only analysis: do not evaluate or build with Nix (same as --level diff)')
      .addOption(
        new Option('--level <level>', 'analysis level: diff (the text), eval (evaluate, build nothing), build (build every changed toplevel); default: eval where Nix is present, else diff').choices([
          'diff',
          'eval',
          'build',
        ]),
      )
      .option('--json', 'print one JSON document (schema steward.review/v1) instead of markdown')
      .option('--cache-dir <dir>', 'where drvPaths of earlier runs are cached (default: $XDG_CACHE_HOME/steward)')
      .option('--no-cache', 'ignore and do not write cached results')
      .addOption(new Option('--workers <n>', 'evaluation processes (default: one per core)').argParser((v) => parsePositive(v)))
      .addOption(new Option('--llm <mode>', 'LLM review with Claude Code: off, auto (when `claude` is available), required (no answer = risky); default: llm.mode').choices(['off', 'auto', 'required']));

  common(
    program
      .command('review')
      .description('Review a change: what it does to every host, and how dangerous it is.')
      .option('--base <rev>', 'compare against this revision (default: the first parent of head; a branch is compared from its merge base)')
      .option('--head <rev>', 'the revision to review (default: HEAD; in a pull_request run with --github: the PR head)')
      .option('--github', 'post the review on GitHub: the PR sticky comment and check (pull_request runs, or --pr), else a check on the commit')
      .addOption(new Option('--pr <number>', 'the pull request to comment on (default: the Actions event)').argParser((v) => parsePositive(v))),
  ).action(action(program, (ctx, flags: ReviewFlags) => review(ctx, flags)));

  common(
    program
      .command('classify')
      .description('Classify one commit against its first parent (clean, needs-reboot or risky).')
      .requiredOption('--commit <sha>', 'the commit to classify'),
  ).action(action(program, (ctx, flags: ReviewFlags & { commit: string }) => review(ctx, { ...flags, head: flags.commit, base: undefined })));
}

/** Phases: wire, review, render, report (with --github); the Nomad client is closed however it ends. */
async function review(ctx: CliContext, flags: ReviewFlags): Promise<ExitCode> {
  return runPhases(ctx.logger, (phases) => reviewPhases(ctx, flags, phases));
}

async function reviewPhases(ctx: CliContext, flags: ReviewFlags, phases: Phases): Promise<ExitCode> {
  const { git, nix, cache, loaded } = await phases.run('wire', () => wireRepo(ctx, flags));
  // In a pull_request run, review what the PR changes: its head against its base (the checkout
  // itself is GitHub's merge commit).
  const run = flags.github ? await actionsContext(ctx.env) : null;
  if (run?.pullRequest && flags.head === undefined && flags.base === undefined) {
    flags = { ...flags, head: run.pullRequest.headSha, base: run.pullRequest.baseSha };
  }
  const config = flags.llm ? { ...loaded.config, llm: { ...loaded.config.llm, mode: flags.llm } } : loaded.config;
  const nomad = nomadClientFromConfig(config.nomad, { env: ctx.env, logger: ctx.logger, redactor: ctx.redactor });
  phases.closeLater(() => nomad?.close());
  const claude = config.llm.mode === 'off' ? undefined : createClaudeCli({ command: config.llm.command, env: { source: ctx.env }, logger: ctx.logger, redactor: ctx.redactor });
  const { report } = await phases.run('review', () => runReview(
    { git, nix, cache, hcl: hclJobParser, logger: ctx.logger, redactor: ctx.redactor, goalsDir: GOALS_DIR, ...(nomad ? { nomad } : {}), ...(claude ? { claude } : {}) },
    { base: flags.base, head: flags.head, noBuild: !flags.build, ...(flags.level ? { level: flags.level } : {}), defaultLevel: 'eval', config, noLlmCache: flags.cache === false, ...(flags.workers ? { workers: flags.workers } : {}) },
  ));
  const markdown = await phases.run('render', () => renderReport(report));
  ctx.out(flags.json ? JSON.stringify(ReviewReport.parse(report), null, 2) : markdown);
  const pr = flags.pr ?? run?.pullRequest?.number;
  if (flags.github) {
    const posted = await phases.run('report', () => reportReviewToGitHub(githubReportDeps(ctx, config), { report, markdown, ...(pr !== undefined ? { pr } : {}), ...(run?.runUrl ? { fullReportUrl: run.runUrl } : {}) }));
    ctx.logger.info(posted);
  }
  return report.outcome === 'build-failed' ? ExitCode.buildFailed : report.outcome === 'validation-failed' ? ExitCode.validationFailed : ExitCode.ok;
}

/** Steward's own prompt and knowledge documents, shipped with the package. */
export const GOALS_DIR = fileURLToPath(new URL('goals/', PACKAGE_ROOT));

export function renderReport(report: ReviewReport): string {
  return renderReviewMarkdown(report, { sections: report.verdict.llm ? [renderLlmSection(report.verdict.llm)] : [] });
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}
