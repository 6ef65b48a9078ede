// An end-to-end deploy lab: the example homelab as a real git repository, fixture hosts installed
// with its base toplevels (real Nix builds), the Nomad/Consul simulator running its jobs, and the
// real `steward deploy` CLI pointed at all of them. The simulator's clock is warped while a
// command runs, so a 10 s min_healthy_time costs milliseconds.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import type { Edit } from '../../src/demo/scenarios.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { CLI } from './cli.js';
import { buildToplevels, installFixtureHosts, killLeftoverGuards } from './fixture-hosts.js';

export interface LabRun {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | null;
}

export interface Lab {
  repo: HomelabRepo;
  base: string;
  baseToplevels: Record<string, string>;
  dir: string;
  hostsDir: string;
  stateFile: string;
  sim: Simulator;
  /** A commit on top of `parent` (default: the base), not moving any branch. */
  commit(message: string, edits: Edit[], parent?: string): Promise<string>;
  /** Fresh hosts, state and cluster (each test starts from the base). */
  reset(config?: Record<string, unknown>): Promise<void>;
  /** Rewrites steward.json: the example's, with `config` on top and the test deploy settings. */
  configure(config: Record<string, unknown>): void;
  host(name: string): string;
  deploy(head: string, options?: { env?: NodeJS.ProcessEnv; args?: string[]; json?: boolean }): Promise<LabRun>;
  /** `steward deploy --rollback-to sha`. */
  rollback(sha: string): Promise<LabRun>;
  /** Starts a deploy without waiting (concurrency tests). */
  start(head: string, options?: { env?: NodeJS.ProcessEnv; args?: string[] }): ResultPromise;
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<LabRun>;
  /** Warps the simulator's clock while processes started with `start` run. */
  warp(on: boolean): void;
  close(): Promise<void>;
}

export const TEST_DEPLOY_CONFIG = {
  confirmTimeoutSeconds: 2,
  activationTimeoutSeconds: 30,
  lockWaitSeconds: 1,
  blockingWaitSeconds: 5,
  jobDeadlineSeconds: 60,
  quorumTimeoutSeconds: 5,
  reboot: { timeoutSeconds: 20 },
};

export async function createLab(): Promise<Lab> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-deploy-lab-'));
  const repo = await createHomelabRepo({ parent: dir });
  const base = (await repo.git.revparse(['HEAD'])).trim();
  const baseToplevels = await buildToplevels(repo.dir, base);
  const exampleConfig = JSON.parse(readFileSync(path.join(repo.dir, 'steward.json'), 'utf8')) as Record<string, unknown>;
  let generation = 0;
  let sim: Simulator | null = null;
  let warp: NodeJS.Timeout | null = null;
  const lab = {
    repo,
    base,
    baseToplevels,
    dir,
    hostsDir: '',
    stateFile: '',
    get sim(): Simulator {
      if (!sim) throw new Error('call reset() first');
      return sim;
    },
    async commit(message: string, edits: Edit[], parent = base) {
      await repo.git.checkout(['-q', '--detach', parent]);
      return repo.commit(message, edits);
    },
    async reset(config: Record<string, unknown> = {}) {
      if (lab.hostsDir) killLeftoverGuards(lab.hostsDir);
      await sim?.close();
      generation++;
      lab.hostsDir = path.join(dir, `hosts-${generation}`);
      lab.stateFile = path.join(dir, `state-${generation}.db`);
      installFixtureHosts(lab.hostsDir, baseToplevels);
      lab.configure(config);
      sim = await startSimulator({ scenario: 'empty', datacenter: 'home', clock: 'manual', placeDelayMs: 500 });
      for (const file of (await repo.git.raw(['ls-tree', '--name-only', `${base}:nomad`])).split('\n').filter((f) => f.endsWith('.nomad'))) {
        await sim.control.runJob(await repo.git.show([`${base}:nomad/${file}`]), { instant: true });
      }
    },
    configure(config: Record<string, unknown>) {
      const { deploy, ...rest } = config;
      writeFileSync(path.join(dir, 'steward.json'), JSON.stringify({ ...exampleConfig, ...rest, deploy: { ...TEST_DEPLOY_CONFIG, ...(deploy as object) } }));
    },
    host: (name: string) => path.join(lab.hostsDir, name),
    start(head: string, options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}) {
      return execa(process.execPath, [CLI, 'deploy', ...commonArgs(), '--head', head, '--json', ...(options.args ?? [])], { reject: false, stdin: 'ignore', env: { ...env(), ...options.env } });
    },
    async deploy(head: string, options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}) {
      return lab.cli(['deploy', ...commonArgs(), '--head', head, '--json', ...(options.args ?? [])], options.env);
    },
    async rollback(sha: string) {
      return lab.cli(['deploy', ...commonArgs(), '--rollback-to', sha, '--json']);
    },
    async cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<LabRun> {
      startWarp();
      try {
        const result = await execa(process.execPath, [CLI, ...args], { reject: false, stdin: 'ignore', env: { ...env(), ...extraEnv } });
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(result.stdout) as Record<string, unknown>;
        } catch {
          json = null;
        }
        return { exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr, json };
      } finally {
        stopWarp();
      }
    },
    warp: (on: boolean) => (on ? startWarp() : stopWarp()),
    async close() {
      warpUsers = 1;
      stopWarp();
      if (lab.hostsDir) killLeftoverGuards(lab.hostsDir);
      await sim?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const commonArgs = () => ['--repo', repo.dir, '--config', path.join(dir, 'steward.json'), '--llm', 'off', '--state', lab.stateFile, '--hosts-root', lab.hostsDir, '--cache-dir', path.join(dir, 'cache')];
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, NOMAD_ADDR: lab.sim.nomadUrl, CONSUL_HTTP_ADDR: lab.sim.consulUrl, GITHUB_ACTIONS: '' });
  // Counted: a deploy started in the background keeps the warp while others start and stop.
  let warpUsers = 0;
  function startWarp() {
    warpUsers++;
    if (warp) return;
    // Half a second of cluster time every 10 ms: deployments progress ~50x faster than real time.
    warp = setInterval(() => void sim?.control.advance(500), 10);
  }
  function stopWarp() {
    warpUsers = Math.max(0, warpUsers - 1);
    if (warpUsers > 0 || !warp) return;
    clearInterval(warp);
    warp = null;
  }
  return lab as Lab;
}

export function target(run: LabRun, kind: 'host' | 'job', name: string): Record<string, unknown> | undefined {
  const commits = (run.json?.commits ?? []) as Array<{ targets: Array<Record<string, unknown>> }>;
  return commits.flatMap((c) => c.targets).find((t) => t.kind === kind && t.name === name);
}
