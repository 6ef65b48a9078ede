// Benchmark of the deploy executor, run by `npm run bench`:
// (a) Steward's own overhead in a deploy of 10 hosts and 20 Nomad jobs against the simulator:
//     the wall time of prepare + host rollout + job rollout, minus the time spent waiting on
//     others — inside host commands (each a new process running switch-to-configuration on a
//     fixture host) and inside Nomad blocking queries (deployments progressing). Target <= 2 s.
// (b) Nomad API requests per watched deployment with blocking queries, against a baseline that
//     polls every second, both on the simulator in real time, counted by the simulator.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalTransport } from '../../src/adapters/host-local/local-transport.js';
import { NixosHost } from '../../src/adapters/nixos-host/nixos-host.js';
import { createNomadClient } from '../../src/adapters/nomad-http/client.js';
import { createConsulClient } from '../../src/adapters/consul-http/client.js';
import { watchDeployment, waitForEvaluation } from '../../src/stages/deploy/watch-deployment.js';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import { buildToplevels, installFixtureHost } from '../../src/demo/fixture-hosts.js';
import { createHomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { emptyHostChange } from '../../src/model/host-change.js';
import type { HostTransport } from '../../src/ports/host.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { BlockingQuery, NomadPort } from '../../src/ports/nomad.js';
import { Redactor } from '../../src/redact.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { noHooks, type DeployContext } from '../../src/stages/deploy/context.js';
import { deployJob } from '../../src/stages/deploy/deploy-job.js';
import type { HostTarget, JobTarget } from '../../src/stages/deploy/plan-targets.js';
import { prepareHosts } from '../../src/stages/deploy/prepare-hosts.js';
import { rolloutHosts } from '../../src/stages/deploy/rollout-hosts.js';
import { DEFAULT_CRITICAL_UNITS } from '../../src/config/defaults.js';
import { generateJobFiles } from './nomad-jobs.bench.js';

const TARGET_MS = 2000;
const HOSTS = 10;
const JOBS = 20;
const EXAMPLE = ['desk', 'nas', 'node1', 'node2', 'node3'];

export async function benchDeploy(options: { log: (s: string) => void; env?: NodeJS.ProcessEnv }): Promise<{ lines: string[] }> {
  const { log } = options;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-deploy-'));
  try {
    log(`bench: deploy of ${HOSTS} hosts and ${JOBS} jobs`);
    const overhead = await benchOverhead(dir, options.env);
    log('bench: requests per watched deployment (real time, ~12 s)');
    const requests = await benchRequests();
    return { lines: [...overhead, ...requests] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchOverhead(dir: string, env?: NodeJS.ProcessEnv): Promise<string[]> {
  // A shared-module change reaches every example host; ten fixture hosts run two copies of them.
  const repo = await createHomelabRepo({ parent: dir });
  const base = (await repo.git.revparse(['HEAD'])).trim();
  const head = await repo.commit('shared module', HOST_SCENARIOS.find((s) => s.id === 'shared-module')!.edits);
  const [from, to] = [await buildToplevels(repo.dir, base, EXAMPLE, env), await buildToplevels(repo.dir, head, EXAMPLE, env)];
  // Waits overlap (four hosts are prepared at once): each tracker counts wall time during which
  // at least one wait of its kind is in flight; `any` does the same for both kinds together.
  const [hostWait, nomadWait, anyWait] = [new WaitTracker(), new WaitTracker(), new WaitTracker()];
  const during = async <T>(trackers: WaitTracker[], fn: () => Promise<T>): Promise<T> => {
    for (const t of trackers) t.enter();
    try {
      return await fn();
    } finally {
      for (const t of trackers) t.leave();
    }
  };
  const timed = (t: HostTransport): HostTransport => ({ ...t, exec: (script, o) => during([hostWait, anyWait], () => t.exec(script, o)) });
  const names = Array.from({ length: HOSTS }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
  const systems = new Map(names.map((name, i) => {
    installFixtureHost(path.join(dir, 'hosts', name), from[EXAMPLE[i % 5]!]!, env);
    return [name, new NixosHost(timed(createLocalTransport({ host: name, root: path.join(dir, 'hosts', name) })))];
  }));
  const hosts: HostTarget[] = names.map((name, i) => ({ host: name, roles: [], quorum: false, batch: null, base, toplevel: to[EXAMPLE[i % 5]!]!, label: 'clean', change: emptyHostChange(name, [], 'changed'), activation: 'switch', reboot: 'auto' }));

  const sim = await startSimulator({ scenario: 'empty', datacenter: 'home', clock: 'manual', placeDelayMs: 500 });
  const files = generateJobFiles(JOBS).map((f) => ({ ...f, content: f.content.replace(/"dc1"/g, '"home"') }));
  for (const f of files) await sim.control.runJob(f.content, { instant: true });
  const client = createNomadClient({ address: sim.nomadUrl });
  const consul = createConsulClient({ address: sim.consulUrl });
  const nomad = waited(client, (fn) => during([nomadWait, anyWait], fn));
  const bumped = new Map(files.map((f) => [f.path, f.content.replace(/(image\s*=\s*"[^"]*:\d+\.\d+\.)(\d+)/g, (_m, p: string, n: string) => `${p}${Number(n) + 1}`)]));
  const jobs: JobTarget[] = [];
  for (const f of files) {
    const spec = await client.parseJob(bumped.get(f.path)!);
    jobs.push({ job: spec.ID, file: f.path, base, label: 'clean', change: {} as JobTarget['change'], plan: await client.planJob(spec) });
  }
  const store = new SqliteDeployStore({ file: path.join(dir, 'state.db') });
  const ctx: DeployContext = {
    store,
    runId: store.startRun({ head, dryRun: false }),
    hooks: noHooks,
    logger: silentLogger,
    redactor: new Redactor(),
    settings: { confirmSeconds: 30, activationSeconds: 120, rebootTimeoutMs: 60_000, quorumTimeoutMs: 10_000, jobDeadlineMs: 120_000, blockingWaitMs: 60_000, pollMs: 250 },
    now: () => new Date(),
  };
  const warp = setInterval(() => void sim.control.advance(500), 10);
  const started = performance.now();
  const prepared = await prepareHosts(ctx, { hosts, hostFor: (h) => systems.get(h) ?? null, baselineFailed: {}, classify: { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 }, known: [] });
  const prepareMs = performance.now() - started;
  const rollout = await rolloutHosts({ ctx, cluster: {}, invariantsOn: async () => [] }, { sha: head, hosts, prepared: prepared.prepared });
  const hostsDone = performance.now();
  const jobResults = [];
  for (const job of jobs) jobResults.push(await deployJob({ ctx, nomad, consul, readFile: async (file) => bumped.get(file) ?? null }, job, head));
  const total = performance.now() - started;
  clearInterval(warp);
  client.close();
  consul.close();
  store.close();
  await sim.close();
  const verified = [...rollout.records, ...jobResults.map((j) => j.record)].filter((r) => r.result === 'verified').length;
  const overhead = total - anyWait.ms;
  return [
    `deploy executor: ${HOSTS} hosts + ${JOBS} jobs, ${verified}/${HOSTS + JOBS} verified (fixture hosts, Nomad simulator with its clock warped 50x)`,
    `  wall time: ${ms(total)} (prepare ${ms(prepareMs)}, hosts ${ms(hostsDone - started - prepareMs)}, jobs ${ms(total - (hostsDone - started))})`,
    `  waiting on others: ${ms(anyWait.ms)} — host commands ${ms(hostWait.ms)} (switch-to-configuration, dry-activate, a new process each), Nomad blocking queries ${ms(nomadWait.ms)}`,
    `  Steward's own overhead (wall - waits): ${ms(overhead)} (target <= ${ms(TARGET_MS)}: ${overhead <= TARGET_MS ? 'met' : 'MISSED'})`,
  ];
}

/** Wall time during which at least one wait was in flight. */
class WaitTracker {
  ms = 0;
  private inFlight = 0;
  private since = 0;
  enter(): void {
    if (this.inFlight++ === 0) this.since = performance.now();
  }
  leave(): void {
    if (--this.inFlight === 0) this.ms += performance.now() - this.since;
  }
}

/** The port with every blocking query timed (the time a deployment makes Steward wait). */
function waited(nomad: NomadPort, wait: <T>(fn: () => Promise<T>) => Promise<T>): NomadPort {
  const blocking = new Set(['evaluation', 'deployment', 'latestDeployment', 'deploymentAllocations', 'jobAllocations']);
  return new Proxy(nomad, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || !blocking.has(String(prop))) return value;
      return async (...args: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        return (args[1] as BlockingQuery | undefined)?.index ? wait(call) : call();
      };
    },
  });
}

async function benchRequests(): Promise<string[]> {
  const sim = await startSimulator({ scenario: 'healthy', clock: 'real', placeDelayMs: 1000 });
  const client = createNomadClient({ address: sim.nomadUrl });
  try {
    const job = (await client.readJob('whoami'))!;
    const deploy = async (image: string) => {
      const spec = JSON.parse(JSON.stringify(job).replace('traefik/whoami:v1.10.1', image)) as typeof job;
      const registered = await client.registerJob(spec);
      if (registered.status !== 'registered') throw new Error('not registered');
      return (await waitForEvaluation(client, registered.evalId)).deploymentId as string;
    };
    // Blocking queries first, then the baseline on a second rollout of the same job.
    const watchedId = await deploy('traefik/whoami:v1.10.2');
    const watchStarted = performance.now();
    const watched = await watchDeployment(client, watchedId, { waitMs: 60_000 });
    const watchMs = performance.now() - watchStarted;
    const polledId = await deploy('traefik/whoami:v1.10.3');
    const pollStarted = performance.now();
    for (;;) {
      const status = (await client.deployment(polledId)).value.status;
      if (status === 'successful' || status === 'failed' || status === 'cancelled') break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const pollMs = performance.now() - pollStarted;
    const blockingRequests = sim.control.deploymentRequests(watchedId);
    const pollingRequests = sim.control.deploymentRequests(polledId);
    return [
      `nomad requests per watched deployment (2 allocations, min_healthy_time 10 s, real time):`,
      `  blocking queries: ${blockingRequests} requests over ${ms(watchMs)} (${watched.status}); 1 s polling: ${pollingRequests} requests over ${ms(pollMs)} — ${(pollingRequests / Math.max(1, blockingRequests)).toFixed(1)}x fewer with blocking queries`,
    ];
  } finally {
    client.close();
    await sim.close();
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
