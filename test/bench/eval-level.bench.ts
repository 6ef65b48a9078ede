// Evaluation level against build level and against the same evaluation by hand (issue 11):
// (a) a 30-host fleet whose toplevels each carry ~1 s of CPU to build and ~0.3 s of evaluation,
//     a shared-module change reaching every host: eval-level review ÷ build-level review (goal
//     ≥ 5× faster) and eval-level review ÷ one hand-written `nix eval` of the same attributes
//     (goal ≤ 1.3×), base revision cached for every Steward run;
// (b) 30, 100 and 300 hosts with cheap evaluation: time and peak memory of a one-host change with
//     the base cached, and the evaluation worker's memory cap holding.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { simpleGit } from 'simple-git';
import { readdir } from 'node:fs/promises';
import { HOST_VALUES_FN } from '../../src/adapters/nix/eval-values-expr.js';
import { residentMiB } from '../../src/adapters/nix/memory-watch.js';
import { flakeRefAt } from '../../src/stages/build/flake-ref.js';
import { CLI } from '../helpers/cli.js';
import { createFleet, type Fleet } from './fleet-fixture.js';

interface Timed {
  runs: number[];
  median: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = (t: Timed) => `${t.median.toFixed(2)} s (runs ${t.runs.map((r) => r.toFixed(2)).join(', ')})`;

const nix = (args: string[], env: NodeJS.ProcessEnv) => execa('nix', ['--extra-experimental-features', 'nix-command flakes', ...args], { env, stdin: 'ignore' });

/** Runs the CLI under GNU time: wall seconds and the largest resident set of any process in the run. */
/** Samples the resident memory of every `nix eval` of this fleet while a run lasts: the largest seen. */
function sampleNixEvals(fleetDir: string): { stop: () => number } {
  let peak = 0;
  const timer = setInterval(() => {
    void (async () => {
      for (const pid of await readdir('/proc').catch(() => [] as string[])) {
        if (!/^\d+$/.test(pid)) continue;
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        // A nix process (not steward's own, whose `--level eval` argument also reads "eval").
        const [program] = cmdline.split('\0');
        if (path.basename(program ?? '') !== 'nix' || !cmdline.includes('\0eval\0') || !cmdline.includes(fleetDir)) continue;
        peak = Math.max(peak, (await residentMiB(Number(pid))) ?? 0);
      }
    })();
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

async function review(
  fleet: Fleet,
  head: string,
  cacheDir: string,
  env: NodeJS.ProcessEnv,
  extra: string[],
): Promise<{ seconds: number; peakMiB: number; nixPeakMiB: number; report: { level: string; label: string; stats: { toplevelsBuilt: number; evalProcesses: number } } }> {
  const sampler = sampleNixEvals(fleet.dir);
  const started = performance.now();
  const run = await execa('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, CLI, 'review', '--repo', fleet.dir, '--head', head, '--cache-dir', cacheDir, '--json', '--quiet', '--llm', 'off', ...extra], {
    env,
    stdin: 'ignore',
    reject: false,
  });
  const elapsed = (performance.now() - started) / 1000;
  const nixPeakMiB = sampler.stop();
  if (run.exitCode !== 0) throw new Error(`steward review failed (${run.exitCode}): ${run.stderr.slice(-500)}`);
  const peakKb = Number(/maxrss=(\d+)/.exec(run.stderr)?.[1] ?? 0);
  return { seconds: elapsed, peakMiB: peakKb / 1024, nixPeakMiB, report: JSON.parse(run.stdout) };
}

/** A new commit changing the shared module (node exporter collectors): every host changes. */
async function sharedChange(fleet: Fleet, n: number): Promise<string> {
  const file = path.join(fleet.dir, 'modules/common.nix');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/enabledCollectors = \[ "systemd"[^\]]*\];/, `enabledCollectors = [ "systemd" "textfile${n}" ];`));
  const git = simpleGit({ baseDir: fleet.dir });
  await git.add('.').commit(`common: collectors ${n}`);
  return (await git.revparse(['HEAD'])).trim();
}

/** The hand-written evaluation: one `nix eval` of every host's toplevel drvPath and values at head. */
async function byHand(fleet: Fleet, head: string, env: NodeJS.ProcessEnv): Promise<number> {
  const expr = `builtins.mapAttrs (n: c: { drv = c.config.system.build.toplevel.drvPath; values = ${HOST_VALUES_FN} c.config; }) (builtins.getFlake "${flakeRefAt(fleet.dir, head, '.')}").nixosConfigurations`;
  const started = performance.now();
  await nix(['eval', '--json', '--expr', expr], env);
  return (performance.now() - started) / 1000;
}

export async function benchEvalLevel(options: { runs: number; env: NodeJS.ProcessEnv; log: (s: string) => void; sizes?: number[]; parts?: string[] }): Promise<{ lines: string[] }> {
  const { env, log, runs } = options;
  const lines: string[] = [];
  const parts = options.parts ?? ['a', 'b'];
  if (parts.includes('a')) lines.push(...(await levels(options)));
  if (parts.includes('b')) lines.push(...(await growth(options)));
  return { lines };
}

async function levels(options: { runs: number; env: NodeJS.ProcessEnv; log: (s: string) => void }): Promise<string[]> {
  const { env, log, runs } = options;
  const lines: string[] = [];

  // (a) eval level vs build level vs by hand.
  const fleet = await createFleet({ hosts: 30, evalCost: 2_400_000, buildCost: 1_000_000 });
  try {
    log('bench eval-level: building the base toplevels (what the hosts run) and caching the base evaluation');
    const ref = flakeRefAt(fleet.dir, fleet.base, '.');
    await nix(['build', '--no-link', ...fleet.hosts.map((h) => `${ref}#nixosConfigurations.${h}.config.system.build.toplevel`)], env);
    const warmCache = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-cache-'));
    await review(fleet, fleet.base, warmCache, env, ['--level', 'eval']);
    const copyOfWarm = async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-cache-'));
      await cp(warmCache, dir, { recursive: true });
      return dir;
    };
    const atEval: number[] = [];
    const atBuild: number[] = [];
    const hand: number[] = [];
    const labels = new Set<string>();
    for (let i = 0; i < runs; i++) {
      // A fresh shared change per run, so the build level really builds 30 new toplevels each time.
      const head = await sharedChange(fleet, i);
      log(`bench eval-level: run ${i + 1}/${runs}: evaluation level, by hand, build level`);
      const e = await review(fleet, head, await copyOfWarm(), env, ['--level', 'eval', '--base', fleet.base]);
      atEval.push(e.seconds);
      hand.push(await byHand(fleet, head, env));
      const b = await review(fleet, head, await copyOfWarm(), env, ['--level', 'build', '--base', fleet.base]);
      atBuild.push(b.seconds);
      labels.add(`${e.report.label}/${b.report.label}`);
      if (e.report.stats.toplevelsBuilt !== 0 || b.report.stats.toplevelsBuilt < fleet.hosts.length) throw new Error('bench: unexpected build counts');
    }
    await rm(warmCache, { recursive: true, force: true });
    const ev = { runs: atEval, median: median(atEval) };
    const bu = { runs: atBuild, median: median(atBuild) };
    const hd = { runs: hand, median: median(hand) };
    const faster = bu.median / ev.median;
    const overhead = ev.median / hd.median;
    lines.push(
      `eval-level bench (a): 30 hosts, ~0.3 s evaluation and ~1 s CPU of building per toplevel, a shared-module change reaching every host; ${os.availableParallelism()} cores, median of ${runs}; base evaluation cached for Steward; base toplevels in the store; labels eval/build: ${[...labels].join(', ')}`,
      `  steward review --level eval:                 ${seconds(ev)}`,
      `  steward review --level build:                ${seconds(bu)}`,
      `  one hand-written nix eval (same values):     ${seconds(hd)}`,
      `  build ÷ eval = ${faster.toFixed(2)}× faster (goal ≥ 5×: ${faster >= 5 ? 'met' : 'MISSED'}); eval ÷ by hand = ${overhead.toFixed(2)}× (goal ≤ 1.3×: ${overhead <= 1.3 ? 'met' : 'MISSED'})`,
    );
  } finally {
    await rm(fleet.dir, { recursive: true, force: true });
  }

  return lines;
}

/** (b) growth with the fleet: a one-host change, base cached, cheap evaluation. */
async function growth(options: { runs: number; env: NodeJS.ProcessEnv; log: (s: string) => void; sizes?: number[] }): Promise<string[]> {
  const { env, log, runs } = options;
  const lines: string[] = [];
  lines.push(
    `eval-level bench (b): one-host change, base evaluation cached, cheap evaluation; "peak" = largest resident set of any process of the run (GNU time), "nix eval peak" = largest sampled resident set of one nix eval process (every 50 ms)`,
  );
  for (const size of options.sizes ?? [30, 100, 300]) {
    const grown = await createFleet({ hosts: size, evalCost: 0 });
    try {
      log(`bench eval-level: ${size} hosts`);
      const cache = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-cache-'));
      const base = await review(grown, grown.base, cache, env, ['--level', 'eval']);
      const samples: number[] = [];
      let peak = 0;
      let nixPeak = 0;
      let processes = 0;
      let label = '';
      for (let i = 0; i < runs; i++) {
        const r = await review(grown, grown.head, await copy(cache), env, ['--level', 'eval']);
        samples.push(r.seconds);
        peak = Math.max(peak, r.peakMiB);
        nixPeak = Math.max(nixPeak, r.nixPeakMiB);
        processes = r.report.stats.evalProcesses;
        label = r.report.label;
      }
      // The same change under a cap low enough that the head's workers pass it and restart.
      const config = path.join(cache, 'capped.json');
      const capMiB = CAP_MIB;
      await writeFile(config, JSON.stringify({ nix: { evalMaxMemoryMB: capMiB } }));
      const capped = await review(grown, grown.head, await copy(cache), env, ['--level', 'eval', '--config', config]);
      lines.push(
        `  ${String(size).padStart(3)} hosts: ${seconds({ runs: samples, median: median(samples) })}, peak ${peak.toFixed(0)} MiB, nix eval peak ${nixPeak.toFixed(0)} MiB, ${processes} eval processes (base, nothing cached: ${base.seconds.toFixed(2)} s, nix eval peak ${base.nixPeakMiB.toFixed(0)} MiB)`,
        `       with nix.evalMaxMemoryMB = ${capMiB}: ${capped.seconds.toFixed(2)} s, nix eval peak ${capped.nixPeakMiB.toFixed(0)} MiB (sampled; the cap is checked every 25 ms), ${capped.report.stats.evalProcesses} eval processes (restarts), label ${capped.report.label} (uncapped: ${label})`,
      );
      await rm(cache, { recursive: true, force: true });
    } finally {
      await rm(grown.dir, { recursive: true, force: true });
    }
  }
  return lines;
}

/** Low enough that a worker holding many cheap hosts passes it; one host alone stays under it. */
const CAP_MIB = 64;

async function copy(dir: string): Promise<string> {
  const to = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-cache-'));
  await cp(dir, to, { recursive: true });
  return to;
}

// `npx tsx test/bench/eval-level.bench.ts`: this benchmark alone (npm run bench runs it with the rest).
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const { exampleNixConfig } = await import('../../src/demo/nix-environment.js');
  const env = { ...process.env, NIX_CONFIG: exampleNixConfig(process.env.NIX_CONFIG) };
  const sizes = process.env.STEWARD_BENCH_SIZES?.split(',').map(Number);
  const parts = process.env.STEWARD_BENCH_PARTS?.split(',');
  const result = await benchEvalLevel({ runs: Number(process.env.STEWARD_BENCH_RUNS ?? 3), env, log: (s) => process.stderr.write(`${s}\n`), ...(sizes ? { sizes } : {}), ...(parts ? { parts } : {}) });
  process.stdout.write(`\n${result.lines.join('\n')}\n`);
}
