// `steward review` and `steward classify`: the analysis of a change, as markdown or JSON.
import { type Command, Option } from 'commander';
import { nomadClientFromConfig } from '../../adapters/nomad-http/from-config.js';
import { ReviewReport } from '../../model/review.js';
import { runReview } from '../../pipeline/review.js';
import { renderReviewMarkdown } from '../../stages/report/render-review-markdown.js';
import { action, type CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { wireRepo, type RepoOptions } from '../wiring.js';

interface ReviewFlags extends RepoOptions {
  base?: string;
  head?: string;
  build: boolean;
  json?: boolean;
  workers?: number;
}

export function registerReview(program: Command): void {
  const common = (cmd: Command) =>
    cmd
      .option('--repo <dir>', 'the homelab repository', process.cwd())
      .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
      .option('--no-build', 'diff-only analysis: do not evaluate or build with Nix')
      .option('--json', 'print one JSON document (schema steward.review/v1) instead of markdown')
      .option('--cache-dir <dir>', 'where drvPaths of earlier runs are cached (default: $XDG_CACHE_HOME/steward)')
      .option('--no-cache', 'ignore and do not write cached results')
      .addOption(new Option('--workers <n>', 'evaluation processes (default: one per core)').argParser((v) => parsePositive(v)));

  common(
    program
      .command('review')
      .description('Review a change: what it does to every host, and how dangerous it is.')
      .option('--base <rev>', 'compare against this revision (default: the first parent of head; a branch is compared from its merge base)')
      .option('--head <rev>', 'the revision to review', 'HEAD'),
  ).action(action(program, (ctx, flags: ReviewFlags) => review(ctx, flags)));

  common(
    program
      .command('classify')
      .description('Classify one commit against its first parent (clean, needs-reboot or risky).')
      .requiredOption('--commit <sha>', 'the commit to classify'),
  ).action(action(program, (ctx, flags: ReviewFlags & { commit: string }) => review(ctx, { ...flags, head: flags.commit, base: undefined })));
}

async function review(ctx: CliContext, flags: ReviewFlags): Promise<ExitCode> {
  const { git, nix, cache, loaded } = await wireRepo(ctx, flags);
  const nomad = nomadClientFromConfig(loaded.config.nomad, { env: ctx.env, logger: ctx.logger, redactor: ctx.redactor });
  const { report } = await runReview(
    { git, nix, cache, logger: ctx.logger, ...(nomad ? { nomad } : {}) },
    { base: flags.base, head: flags.head, noBuild: !flags.build, config: loaded.config, ...(flags.workers ? { workers: flags.workers } : {}) },
  );
  ctx.out(flags.json ? JSON.stringify(ReviewReport.parse(report), null, 2) : renderReviewMarkdown(report));
  nomad?.close();
  return report.outcome === 'build-failed' ? ExitCode.buildFailed : report.outcome === 'validation-failed' ? ExitCode.validationFailed : ExitCode.ok;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got "${value}"`);
  return n;
}
