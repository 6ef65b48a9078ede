// Benchmark: diff-level analysis and rules for 10k/20k/40k/80k changed lines (issue 9, defect 6).
// A linear implementation keeps the time per line flat: the ratio against 10k lines should be
// close to the size ratio (2x, 4x, 8x). Target: 40k changed lines in ≤ 2 s.
import { DEFAULT_CRITICAL_UNITS } from '../../src/config/defaults.js';
import type { ChangedPath, GitPort } from '../../src/ports/git.js';
import { analyzeRepo } from '../../src/stages/analyze/analyze-repo.js';
import { classifyRules } from '../../src/stages/classify/classify-rules.js';
import { changeSet } from '../helpers/changesets.js';

// Large files, as a generated module or a big host file would be: quadratic work inside a file shows.
const LINES_PER_FILE = Number(process.env.STEWARD_BENCH_LINES_PER_FILE ?? 20_000);

/** One host module of `lines` option lines and `let` variables, before or after the change. */
function moduleText(lines: number, version: 'old' | 'new'): string {
  const out = ['{ config, pkgs, lib, ... }:', 'let'];
  const locals = Math.floor(lines / 4);
  for (let i = 0; i < locals; i++) out.push(`  port${i} = ${version === 'old' ? 1000 + i : 2000 + i};`);
  out.push('in', '{');
  for (let i = 0; i < lines - locals; i++) {
    const option = i % 3 === 0 ? `services.openssh.settings.Key${i}` : i % 3 === 1 ? `environment.etc."f${i}".text` : `systemd.services.app${i}.environment.PORT`;
    out.push(`  ${option} = ${i < locals ? `port${i}` : `"${version}-${i}"`};`);
  }
  out.push('}', '');
  return out.join('\n');
}

/** A GitPort serving `files` modules, every line of which changes between base and head. */
export function syntheticDiff(changedLines: number): GitPort {
  // Each changed line is one removed and one added line: changedLines / 2 lines per side.
  const perSide = changedLines / 2;
  const files = Math.max(1, Math.round(perSide / LINES_PER_FILE));
  const paths = Array.from({ length: files }, (_, i) => `hosts/host${i % 50}/module${i}.nix`);
  const old = moduleText(Math.round(perSide / files), 'old');
  const neu = moduleText(Math.round(perSide / files), 'new');
  const oldLines = old.split('\n').slice(0, -1);
  const newLines = neu.split('\n').slice(0, -1);
  const hunk = [`@@ -1,${oldLines.length} +1,${newLines.length} @@`, ...oldLines.map((l) => `-${l}`), ...newLines.map((l) => `+${l}`)].join('\n');
  const patch = paths.map((p) => `diff --git a/${p} b/${p}\nindex 1111111..2222222 100644\n--- a/${p}\n+++ b/${p}\n${hunk}\n`).join('');
  const changed: ChangedPath[] = paths.map((path) => ({ path, status: 'modified', additions: newLines.length, deletions: oldLines.length, binary: false }));
  const unused = () => Promise.reject(new Error('not used by the benchmark'));
  const bytes = { base: Buffer.from(old), head: Buffer.from(neu) };
  const port: GitPort = {
    root: '/bench',
    resolve: unused,
    lacksHistory: async () => false,
    mergeBase: unused,
    firstParent: unused,
    changedPaths: async () => changed,
    patch: async () => patch,
    show: async (rev) => (rev === 'base' ? old : neu),
    readBlobs: async (requests) => requests.map((r) => (r.rev === 'base' ? bytes.base : bytes.head)),
    listFiles: async () => paths,
    message: async () => 'bench',
  };
  return port;
}

export async function diffLevelReview(git: GitPort): Promise<string> {
  const rules = { docs: ['**/*.md'], secrets: ['secrets/**'], jobs: ['nomad/**/*.nomad'], hostPaths: ['hosts/{host}/**'] };
  const analysis = await analyzeRepo({ git }, { base: 'base', head: 'head', rules, knownHosts: [] });
  const verdict = classifyRules(changeSet({ level: 'diff', repo: analysis.repo }), { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 });
  return verdict.label;
}

export async function benchDiffSize(runs = 3, sizes = [10_000, 20_000, 40_000, 80_000]): Promise<{ lines: string[]; medians: Map<number, number> }> {
  const medians = new Map<number, number>();
  await diffLevelReview(syntheticDiff(1000)); // warm the JIT
  for (const size of sizes) {
    const git = syntheticDiff(size);
    const samples: number[] = [];
    for (let r = 0; r < runs; r++) {
      const started = performance.now();
      await diffLevelReview(git);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    medians.set(size, samples[Math.floor(runs / 2)] as number);
  }
  const first = sizes[0] as number;
  const base = medians.get(first) as number;
  const lines = sizes.map((size) => {
    const ms = medians.get(size) as number;
    return `(d) diff-level review of ${size / 1000}k changed lines: median ${ms.toFixed(0)} ms of ${runs} runs (×${(ms / base).toFixed(2)} for ×${size / first} lines; ${((ms / size) * 1000).toFixed(1)} µs/line)`;
  });
  const forty = medians.get(40_000);
  if (forty !== undefined) lines.push(`(d) 40k changed lines: ${(forty / 1000).toFixed(2)} s (target ≤ 2 s: ${forty <= 2000 ? 'met' : 'MISSED'})`);
  return { lines, medians };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const result = await benchDiffSize(Number(process.env.STEWARD_BENCH_RUNS ?? 3), sizes.length ? sizes : undefined);
  process.stdout.write(`${result.lines.join('\n')}\n`);
}
