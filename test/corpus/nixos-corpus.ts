// The shared NixOS commit corpus (../shared/corpus/nixos-commits, issue 10): two public
// repositories as git bundles and 80 commits labelled by hand. Each commit is classified at diff
// level (`steward classify --commit SHA --no-build`) against its first parent. The bundles are
// cloned into a temp folder, never copied into the project.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { loadConfig } from '../../src/config/load.js';
import type { Label } from '../../src/model/label.js';
import { MemoryCache } from '../../src/ports/cache.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { NixPort } from '../../src/ports/nix.js';
import { runReview } from '../../src/pipeline/review.js';
import { sharedPath } from '../helpers/shared.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

export const NIXOS_CORPUS = sharedPath('corpus/nixos-commits/');
export const LABELS: Label[] = ['clean', 'needs-reboot', 'risky'];

export interface LabelledCommit {
  repo: string;
  sha: string;
  label: Label;
  rationale: string;
  files: string[];
}

export interface Outcome {
  commit: LabelledCommit;
  got: Label;
  /** The rules that gave the verdict's label (most severe first). */
  reasons: string[];
  /** Wall time of the diff-level review (git reads, analysis, rules). */
  ms: number;
  /** CPU time of Steward's own process in that review (git's processes not included). */
  cpuMs?: number;
  /** Wall time of the same review again (Nix sources and module graph cached per commit). */
  warmMs?: number;
}

export function labelledCommits(): LabelledCommit[] {
  return readFileSync(`${NIXOS_CORPUS}commits.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledCommit);
}

/** Diff level never builds: a port that fails loudly if the review ever asks Nix anything. */
const noNix = new Proxy({} as NixPort, {
  get: (_, name) => () => Promise.reject(new Error(`the corpus runs at diff level: Nix was asked for ${String(name)}`)),
});

/** Clones every bundle into a temp folder, classifies every labelled commit, removes the clones. */
export async function classifyCorpus(onEach?: (o: Outcome) => void, options: { again?: boolean } = {}): Promise<Outcome[]> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-nixos-corpus-'));
  try {
    const commits = labelledCommits();
    const outcomes: Outcome[] = [];
    for (const repo of [...new Set(commits.map((c) => c.repo))]) {
      const clone = join(dir, repo.replace('/', '+'));
      execFileSync('git', ['clone', '-q', '--no-checkout', `${NIXOS_CORPUS}${repo.replace('/', '+')}.bundle`, clone], { stdio: 'pipe' });
      const git = await openGitRepo(clone);
      const loaded = await loadConfig(clone);
      const config = { ...loaded.config, llm: { ...loaded.config.llm, mode: 'off' as const } };
      for (const commit of commits.filter((c) => c.repo === repo)) {
        const started = performance.now();
        const cpu = process.cpuUsage();
        const { report } = await runReview({ git, nix: noNix, cache: new MemoryCache(), hcl: hclJobParser, logger: silentLogger }, { head: commit.sha, noBuild: true, config });
        const reasons = report.verdict.rules.reasons.filter((r) => r.label === report.label).map((r) => r.ruleId);
        const ms = performance.now() - started;
        const cpuMs = process.cpuUsage(cpu).user / 1000;
        let warmMs: number | undefined;
        if (options.again) {
          const warm = performance.now();
          await runReview({ git, nix: noNix, cache: new MemoryCache(), hcl: hclJobParser, logger: silentLogger }, { head: commit.sha, noBuild: true, config });
          warmMs = performance.now() - warm;
        }
        const outcome = { commit, got: report.label, reasons: [...new Set(reasons)], ms, cpuMs, ...(warmMs === undefined ? {} : { warmMs }) };
        outcomes.push(outcome);
        onEach?.(outcome);
      }
    }
    return outcomes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Matrix {
  exact: number;
  total: number;
  /** Labelled risky or needs-reboot, classified clean: deployed without asking. */
  falseClean: number;
  /** counts[expected][got] */
  counts: Record<Label, Record<Label, number>>;
}

export function confusionMatrix(outcomes: Outcome[]): Matrix {
  const counts = Object.fromEntries(LABELS.map((e) => [e, Object.fromEntries(LABELS.map((g) => [g, 0]))])) as Matrix['counts'];
  for (const o of outcomes) counts[o.commit.label][o.got]++;
  return {
    exact: outcomes.filter((o) => o.got === o.commit.label).length,
    total: outcomes.length,
    falseClean: outcomes.filter((o) => o.got === 'clean' && o.commit.label !== 'clean').length,
    counts,
  };
}

export function renderMatrix(m: Matrix): string {
  const pad = (s: string | number) => String(s).padStart(13);
  const rows = LABELS.map((e) => `${e.padEnd(14)}${LABELS.map((g) => pad(m.counts[e][g])).join('')}`);
  return [
    `expected \\ got${LABELS.map(pad).join('')}`,
    ...rows,
    `exact ${m.exact}/${m.total} (${((100 * m.exact) / Math.max(1, m.total)).toFixed(1)} %), false-clean ${m.falseClean}`,
  ].join('\n');
}

export function renderMisses(outcomes: Outcome[]): string {
  return outcomes
    .filter((o) => o.got !== o.commit.label)
    .map((o) => `${o.commit.repo} ${o.commit.sha.slice(0, 10)} expected ${o.commit.label}, got ${o.got} [${o.reasons.join(', ')}] ${o.commit.files.slice(0, 3).join(' ')}`)
    .join('\n');
}

/** Median wall time of one commit's diff-level review (the first, or the repeated one). */
export function medianMs(outcomes: Outcome[], which: 'ms' | 'warmMs' | 'cpuMs' = 'ms'): number {
  const sorted = outcomes.map((o) => o[which] ?? 0).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
