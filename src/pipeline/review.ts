// The review pipeline: Detect -> Build -> Analyze -> Classify, returning the review report.
// Each stage is a function of its ports and data; this file only sequences them and times them.
import os from 'node:os';
import path from 'node:path';
import type { StewardConfig } from '../config/schema.js';
import type { AnalysisLevel, ChangeSet } from '../model/changeset.js';
import type { HostChange } from '../model/host-change.js';
import { emptyHostChange } from '../model/host-change.js';
import { REVIEW_SCHEMA_VERSION, type ReviewReport, type RulesVerdict, type Verdict } from '../model/review.js';
import type { CachePort } from '../ports/cache.js';
import type { GitPort } from '../ports/git.js';
import type { HclJobParser } from '../ports/hcl.js';
import type { Logger } from '../ports/logger.js';
import type { NixPort } from '../ports/nix.js';
import type { NomadJobs } from '../ports/nomad.js';
import type { ClaudePort } from '../ports/claude.js';
import type { Redactor } from '../redact.js';
import { reviewWithLlm } from '../agent/classify/index.js';
import { analyzeJobs } from '../stages/analyze/analyze-jobs.js';
import { analyzeHosts } from '../stages/analyze/analyze-hosts.js';
import { analyzeEvalHosts } from '../stages/analyze/eval/analyze-eval-hosts.js';
import { chooseLevel } from '../stages/analyze/eval/choose-level.js';
import { analyzeRepo } from '../stages/analyze/analyze-repo.js';
import { runBuildStage } from '../stages/build/build-stage.js';
import type { BuildStageResult } from '../stages/build/types.js';
import { classifyRules } from '../stages/classify/classify-rules.js';
import type { Rule } from '../stages/classify/rule.js';
import { resolveRevisions } from '../stages/detect/resolve-revisions.js';

export interface ReviewDeps {
  git: GitPort;
  nix: NixPort;
  cache: CachePort;
  logger: Logger;
  /** Parses Nomad job files (adapters/hcl). */
  hcl: HclJobParser;
  /** The live cluster, when one is configured: changed jobs get a real plan. */
  nomad?: NomadJobs;
  /** Claude Code, for the LLM review (which can only escalate the rules' verdict). */
  claude?: ClaudePort;
  /** Steward's own goals folder (prompt template, knowledge): never the reviewed checkout's. */
  goalsDir?: string;
  redactor?: Redactor;
}

export interface ReviewOptions {
  base?: string;
  head?: string;
  /** Compare with exactly `base`, never its merge base with head (deploy: what a target runs, even a newer commit). */
  exactBase?: boolean;
  noBuild: boolean;
  /** `--level`; without it, `defaultLevel` where Nix is present (else diff). */
  level?: AnalysisLevel;
  /** The level when none is asked for and Nix is present: review says `eval`; default `build`. */
  defaultLevel?: 'eval' | 'build';
  config: StewardConfig;
  /** Evaluation processes; defaults to the config, then one per core. */
  workers?: number;
  /** Ask Claude Code again even when an identical ChangeSet has a cached answer. */
  noLlmCache?: boolean;
  extraRules?: Rule[];
}

export interface ReviewResult {
  report: ReviewReport;
  /** The textual diff (untrusted), for the LLM review and detailed reports. */
  patch: string;
}

export async function runReview(deps: ReviewDeps, options: ReviewOptions): Promise<ReviewResult> {
  const started = performance.now();
  const { config } = options;
  const revisions = await resolveRevisions(deps.git, { base: options.base, head: options.head, ...(options.exactBase ? { exact: true } : {}) });
  const detectMs = performance.now() - started;
  deps.logger.info(`reviewing ${revisions.base.slice(0, 12)}..${revisions.head.slice(0, 12)} (${revisions.baseSource})`);

  // Without a flake there is nothing to build: a diff-level review that says why, not "build failed".
  const flakePath = path.posix.join(config.nix.dir, 'flake.nix');
  const hasFlake = options.noBuild || (await deps.git.show(revisions.head, flakePath)) !== null;
  const nixVersion = options.noBuild || !hasFlake ? null : await deps.nix.version();
  const choice = chooseLevel({
    ...(options.level ? { requested: options.level } : {}),
    fallback: options.defaultLevel ?? 'build',
    ...(hasFlake ? {} : { missingFlake: flakePath }),
    nixPresent: nixVersion !== null,
    noBuild: options.noBuild,
  });
  // Build level without --level keeps its report as it was (no note); every other level says why.
  const levelNote = choice.level === 'build' && !options.level && !options.defaultLevel ? undefined : choice.note;
  const configuredHosts = Object.keys(config.hosts);

  const [repoAnalysis, build] = await Promise.all([
    analyzeRepo(deps, {
      base: revisions.base,
      head: revisions.head,
      rules: { docs: config.classify.docs, secrets: config.classify.secrets, jobs: config.nomad.jobs, hostPaths: config.classify.hostPaths },
      knownHosts: configuredHosts,
    }),
    choice.level !== 'diff'
      ? deps.logger.group(choice.level === 'eval' ? 'evaluate' : 'build', () =>
          runBuildStage(deps, {
            repoRoot: deps.git.root,
            flakeDir: config.nix.dir,
            base: revisions.base,
            head: revisions.head,
            workers: options.workers ?? (config.nix.evalWorkers === 'auto' ? os.availableParallelism() : config.nix.evalWorkers),
            ignoreHosts: config.nix.ignoreHosts,
            cacheScope: cacheScope(deps.git.root, config),
            level: choice.level === 'eval' ? 'eval' : 'build',
          }),
        )
      : Promise.resolve(null),
  ]);

  const analyzeStarted = performance.now();
  const jobAnalysis = await analyzeJobs(deps, {
    base: revisions.base,
    head: revisions.head,
    changedPaths: repoAnalysis.repo.files.flatMap((f) => (f.oldPath ? [f.oldPath, f.path] : [f.path])),
    globs: config.nomad.jobs,
    context: { hostVolumes: config.nomad.hostVolumes, variables: config.nomad.variables },
    diffOptions: { publicEntrypoints: config.nomad.publicEntrypoints, authMiddlewares: config.nomad.authMiddlewares },
  });
  const roles = (host: string) => config.hosts[host]?.roles ?? [];
  const hosts = build
    ? choice.level === 'eval'
      ? analyzeEvalHosts({ stage: build, roles, criticalUnits: criticalUnits(config) })
      : await analyzeHosts(deps, { hosts: build.hosts, roles, criticalUnits: criticalUnits(config) })
    : diffLevelHosts(configuredHosts, repoAnalysis.repo, roles);
  const repo = repoAnalysis.repo;
  if (build) fillInputReach(repo, hosts);
  const changeSet: ChangeSet = {
    base: revisions.base,
    head: revisions.head,
    level: build ? choice.level : 'diff',
    ...(levelNote ? { levelNote } : {}),
    hosts,
    jobs: jobAnalysis.jobs,
    jobFindings: jobAnalysis.findings,
    repo,
    errors: build?.errors ?? [],
  };
  const analyzeMs = performance.now() - analyzeStarted;

  const classifyStarted = performance.now();
  const rules = classifyRules(changeSet, {
    criticalUnits: criticalUnits(config),
    overrides: config.classify.rules,
    nixpkgsBumpHosts: config.classify.nixpkgsBumpHosts,
    extraRules: options.extraRules,
  });
  const verdict = await llmVerdict(deps, { changeSet, rules, patch: repoAnalysis.patch, head: revisions.head, config, noCache: options.noLlmCache ?? false });
  const classifyMs = performance.now() - classifyStarted;

  const failed = changeSet.errors.some((e) => e.revision === 'head') || hosts.some((h) => h.error?.revision === 'head');
  const invalid = changeSet.jobFindings.some((f) => f.severity === 'error');
  const report: ReviewReport = {
    schema: REVIEW_SCHEMA_VERSION,
    repo: deps.git.root,
    base: revisions.base,
    head: revisions.head,
    level: changeSet.level,
    outcome: failed ? 'build-failed' : invalid ? 'validation-failed' : 'reviewed',
    label: verdict.label,
    verdict,
    changeSet,
    stats: {
      nix: nixVersion ? `${nixVersion.implementation} ${nixVersion.version}` : null,
      hostsTotal: hosts.length,
      hostsChanged: hosts.filter((h) => h.status !== 'unchanged').length,
      toplevelsBuilt: build?.stats.toplevelsBuilt ?? 0,
      evalProcesses: build?.stats.evalProcesses ?? 0,
      baseFromCache: build?.stats.baseFromCache ?? false,
    },
    timings: {
      detectMs: round(detectMs),
      evalMs: round(build?.stats.evalMs ?? 0),
      buildMs: round(build?.stats.buildMs ?? 0),
      analyzeMs: round(analyzeMs),
      classifyMs: round(classifyMs),
      totalMs: round(performance.now() - started),
    },
  };
  return { report, patch: repoAnalysis.patch };
}

/** The LLM review when configured and possible; otherwise the rules' verdict, unreviewed. */
async function llmVerdict(
  deps: ReviewDeps,
  input: { changeSet: ChangeSet; rules: RulesVerdict; patch: string; head: string; config: StewardConfig; noCache: boolean },
): Promise<Verdict> {
  const llm = input.config.llm;
  if (llm.mode === 'off' || !deps.claude || !deps.goalsDir) return rulesOnlyVerdict(input.rules);
  // `auto` means "when Claude Code is there": without it, the rules' verdict stands, unreviewed.
  if (llm.mode === 'auto' && !input.config.llm.requireReview && (await deps.claude.version()) === null) {
    deps.logger.info(`LLM review skipped: \`${llm.command}\` not found (steward doctor explains)`);
    return rulesOnlyVerdict(input.rules);
  }
  const message = await deps.git.message(input.head).catch(() => '');
  const { verdict } = await deps.logger.group('llm review', () =>
    reviewWithLlm(
      { claude: deps.claude as ClaudePort, cache: deps.cache, logger: deps.logger, goalsDir: deps.goalsDir as string, ...(deps.redactor ? { redactor: deps.redactor } : {}) },
      { changeSet: input.changeSet, rules: input.rules, patch: input.patch, commitMessages: message ? [message] : [], config: llm, noCache: input.noCache },
    ),
  );
  return verdict;
}

export function rulesOnlyVerdict(rules: RulesVerdict): Verdict {
  return { label: rules.label, decidedBy: 'rules', reviewed: false, rules };
}

export function criticalUnits(config: StewardConfig): string[] {
  return [...config.classify.criticalUnits, ...config.classify.extraCriticalUnits];
}

/** Caches of drvPaths are per repository, flake directory, ignored hosts and Nix arguments. */
function cacheScope(root: string, config: StewardConfig): string {
  return JSON.stringify([root, config.nix.dir, config.nix.ignoreHosts, config.nix.extraArgs]);
}

/**
 * Diff level: the configured hosts (and any host a changed path names). A host is changed where a
 * path names it, and every host is, as far as the diff can tell, when a shared Nix file changed.
 */
function diffLevelHosts(configured: string[], repo: ChangeSet['repo'], roles: (h: string) => string[]): HostChange[] {
  const named = repo.files.flatMap((f) => f.hosts);
  const shared = repo.files.some((f) => f.kind === 'nix' && !f.cosmetic && f.hosts.length === 0) || repo.files.some((f) => f.kind === 'lock');
  const touched = new Set(named);
  return [...new Set([...configured, ...named])].sort().map((host) => emptyHostChange(host, roles(host), shared || touched.has(host) ? 'changed' : 'unchanged'));
}

/** When the lock file is the only non-documentation change, the hosts that changed are its reach. */
function fillInputReach(repo: ChangeSet['repo'], hosts: HostChange[]): void {
  const onlyLock = repo.files.every((f) => f.kind === 'lock' || f.kind === 'docs');
  if (!onlyLock) return;
  const reached = hosts.filter((h) => h.status === 'changed' && !h.revisionOnly).map((h) => h.host);
  for (const input of repo.inputs) input.reaches = reached;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export type { BuildStageResult };
