// Benchmarks (a) and (b) of the review: a one-host change on a generated 30-host fleet with a
// realistic per-host evaluation cost, against the naive baseline and against raw Nix commands.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { flakeRefAt } from '../../src/stages/build/flake-ref.js';
import { CLI } from '../helpers/cli.js';
import { createFleet, type Fleet } from './fleet-fixture.js';

export interface Timed {
  name: string;
  runs: number[];
  median: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function time(name: string, runs: number, fn: () => Promise<void>): Promise<Timed> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push((performance.now() - started) / 1000);
  }
  return { name, runs: samples, median: median(samples) };
}

const nix = (args: string[], env: NodeJS.ProcessEnv) => execa('nix', ['--extra-experimental-features', 'nix-command flakes', ...args], { env, stdin: 'ignore' });

export async function benchReview(options: { hosts: number; evalCost: number; runs: number; env: NodeJS.ProcessEnv; log: (s: string) => void }): Promise<{ lines: string[]; fleet: Fleet }> {
  const { env, log, runs } = options;
  const fleet = await createFleet({ hosts: options.hosts, evalCost: options.evalCost });
  const attr = (host: string) => `nixosConfigurations.${host}.config.system.build.toplevel`;
  const ref = (sha: string) => flakeRefAt(fleet.dir, sha, '.');
  const steward = (cacheDir: string, extra: string[] = []) =>
    execa(process.execPath, [CLI, 'review', '--repo', fleet.dir, '--head', fleet.head, '--cache-dir', cacheDir, '--json', '--quiet', ...extra], { env, stdin: 'ignore' });

  // Warm-up: every toplevel of both revisions is in the store, so neither side builds anything new
  // (the Nix store is equally warm for all; Nix's own eval cache is not used by either side).
  log(`bench: warming the store with ${fleet.hosts.length * 2} toplevels`);
  await nix(['build', '--no-link', ...fleet.hosts.flatMap((h) => [`${ref(fleet.base)}#${attr(h)}`, `${ref(fleet.head)}#${attr(h)}`])], env);

  // A cache holding the base's drvPaths, as an earlier run (the review of the base commit) leaves it.
  const warmCache = await mkdtemp(path.join(os.tmpdir(), 'steward-bench-cache-'));
  await execa(process.execPath, [CLI, 'review', '--repo', fleet.dir, '--head', fleet.base, '--cache-dir', warmCache, '--json', '--quiet'], { env, stdin: 'ignore' });
  const fresh = async () => mkdtemp(path.join(os.tmpdir(), 'steward-bench-cache-'));
  const copyOfWarm = async () => {
    const dir = await fresh();
    await cp(warmCache, dir, { recursive: true });
    return dir;
  };

  log('bench: naive baseline (one nix build per host and revision)');
  const naive = await time('naive', runs, async () => {
    for (const sha of [fleet.base, fleet.head]) for (const h of fleet.hosts) await nix(['build', '--no-link', '--no-eval-cache', `${ref(sha)}#${attr(h)}`], env);
  });
  log('bench: steward, one evaluation process, nothing cached');
  const oneProcess = await time('steward-1proc-cold', runs, async () => {
    await steward(await fresh(), ['--workers', '1']);
  });
  log('bench: steward, one process per core, nothing cached');
  const cold = await time('steward-cold', runs, async () => {
    await steward(await fresh());
  });
  log('bench: steward, base drvPaths cached by an earlier run');
  const warm = await time('steward-warm', runs, async () => {
    await steward(await copyOfWarm());
  });

  log('bench: the same Nix work by hand (one eval of every head drvPath, one build of the changed toplevels)');
  const changedDrvs = async () => {
    const [b, h] = await Promise.all([fleet.base, fleet.head].map(async (sha) => (await nix(['eval', '--raw', '--expr', `(builtins.getFlake "${ref(sha)}").${attr(fleet.changedHost)}.drvPath`], env)).stdout));
    return [b as string, h as string];
  };
  const drvs = await changedDrvs();
  const raw = await time('raw', runs, async () => {
    await nix(['eval', '--json', `${ref(fleet.head)}#nixosConfigurations`, '--apply', 'cs: builtins.mapAttrs (n: c: c.config.system.build.toplevel.drvPath) cs'], env);
    await nix(['build', '--no-link', ...drvs], env);
  });
  await rm(warmCache, { recursive: true, force: true });

  const s = (t: Timed) => `${t.median.toFixed(2)} s (runs ${t.runs.map((r) => r.toFixed(2)).join(', ')})`;
  const ratio = (a: Timed, b: Timed) => a.median / b.median;
  const n = fleet.hosts.length;
  const lines = [
    `review bench: ${n} hosts, one host changed (${fleet.changedHost}), synthetic evaluation cost ${options.evalCost} (per-host eval ≈ ${(oneProcess.median / (2 * n)).toFixed(2)} s), ${os.availableParallelism()} cores, median of ${runs}`,
    `  caches: Nix store warm for every side (all toplevels built beforehand); Nix eval cache unused by every side; Steward's drvPath cache cold except "steward-warm"`,
    `  naive (2×${n} nix build, one per host and revision):   ${s(naive)}`,
    `  steward, 1 eval process, no cache:                    ${s(oneProcess)}`,
    `  steward, ${os.availableParallelism()} eval processes, no cache:                   ${s(cold)}`,
    `  steward, base drvPaths cached:                        ${s(warm)}`,
    `  raw nix (1 eval of head drvPaths + 1 build):          ${s(raw)}`,
    `(a) naive / steward (base cached) = ${ratio(naive, warm).toFixed(2)}× (target ≥ 3×: ${ratio(naive, warm) >= 3 ? 'met' : 'MISSED'}); naive / steward (nothing cached) = ${ratio(naive, cold).toFixed(2)}×`,
    `    contributions: one evaluation process instead of ${2 * n} (and unchanged hosts not built): ${ratio(naive, oneProcess).toFixed(2)}×; spreading evaluation over the cores: ${ratio(oneProcess, cold).toFixed(2)}×; base drvPaths from the cache: ${ratio(cold, warm).toFixed(2)}×`,
    `(b) steward (base cached) / raw nix commands = ${ratio(warm, raw).toFixed(2)}× (target ≤ 1.25×: ${ratio(warm, raw) <= 1.25 ? 'met' : 'MISSED'})`,
  ];
  return { lines, fleet };
}
