// Starts the Nomad + Consul simulator on loopback and hands back its addresses and a control
// surface for fault injection and time. Used in-process by tests and by `steward sim`.
import { ManualClock, RealClock, type SimClock } from './clock.js';
import { ClusterState } from './cluster-state.js';
import { consulRoutes } from './consul-routes.js';
import { parseJobHcl } from './hcl-to-job.js';
import type { Body } from './hcl-values.js';
import { startHttpServer, type Faults } from './http-server.js';
import { createIdGenerator } from './ids.js';
import { nomadRoutes } from './nomad-routes.js';
import { countDeploymentRequests, RequestLog, type SimService } from './request-log.js';
import { applyScenario, type ScenarioName } from './scenarios.js';
import { Scheduler } from './scheduler.js';

export interface SimulatorOptions {
  host?: string;
  /** Nomad's port; 0 (the default) picks a free one. */
  port?: number;
  consulPort?: number;
  scenario?: ScenarioName;
  /** `manual`: time moves only through control.advance(). Default `real`. */
  clock?: 'real' | 'manual';
  /** When set, Nomad requests need this X-Nomad-Token (status endpoints excepted). */
  nomadToken?: string;
  consulToken?: string;
  /** Time from placement to a running allocation. Default 1000 ms. */
  placeDelayMs?: number;
  /** Keep request and response bodies in the request log (contract tests). */
  recordBodies?: boolean;
  seed?: string;
  /** Datacenter of the client nodes; jobs must name it (or `*`) to be placed. Default `dc1`. */
  datacenter?: string;
}

export interface SimulatorControl {
  readonly state: ClusterState;
  readonly requests: RequestLog;
  now(): number;
  /** Manual clock only: moves time forward, then lets woken blocking queries answer. */
  advance(ms: number): Promise<void>;
  /** Registers a job file directly (as if someone ran `nomad job run`); `instant` skips the rollout. */
  runJob(hcl: string, options?: { instant?: boolean }): Promise<Body>;
  /** The next rollout of the job fails its health checks (a failed deployment). */
  failNextDeployment(jobId: string): void;
  /** An allocation's checks start passing or failing (Consul follows; a pending deployment too). */
  setAllocHealth(allocId: string, healthy: boolean): void;
  /** A task of an allocation writes to its stdout or stderr (served by /v1/client/fs/logs). */
  writeTaskLog(allocId: string, task: string, type: 'stdout' | 'stderr', text: string): void;
  /** The memory a task of the allocation uses, as its resource-usage stats report it. */
  setAllocMemoryUsage(allocId: string, task: string, megabytes: number): void;
  loseLeader(service?: SimService | 'both', options?: { reelectAfterMs?: number }): void;
  electLeader(service?: SimService | 'both', server?: string): void;
  /** Two of three servers fail: no leader, writes and consistent reads refused. */
  loseQuorum(): void;
  restoreQuorum(): void;
  setNodeStatus(name: string, status: 'ready' | 'down'): void;
  /** Answers on matching paths come late; returns a function that removes the rule. */
  delay(ms: number, where?: { service?: SimService; path?: string | RegExp }): () => void;
  /** Matching requests get `status` (default 500), `times` times (default: until removed). */
  failRequests(where: { service?: SimService; path: string | RegExp; status?: number; times?: number }): () => void;
  clearFaults(): void;
  /** Requests made about one deployment (see countDeploymentRequests). */
  deploymentRequests(deploymentId: string): number;
}

export interface Simulator {
  nomadUrl: string;
  consulUrl: string;
  control: SimulatorControl;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock: SimClock = options.clock === 'manual' ? new ManualClock() : new RealClock();
  const state = new ClusterState(clock, createIdGenerator(options.seed ?? 'steward-sim'));
  const scheduler = new Scheduler(state, options.placeDelayMs ?? 1000);
  await applyScenario(options.scenario ?? 'healthy', state, scheduler, options.datacenter);
  const faults: Faults = { failures: [], delays: [] };
  const log = new RequestLog(options.recordBodies ?? false);
  const host = options.host ?? '127.0.0.1';
  const nomad = await startHttpServer({ service: 'nomad', host, port: options.port ?? 0, token: options.nomadToken, routes: nomadRoutes(state, scheduler), state, faults, log }).catch((error: unknown) => {
    clock.stop();
    throw error;
  });
  const consul = await startHttpServer({ service: 'consul', host, port: options.consulPort ?? 0, token: options.consulToken, routes: consulRoutes(state), state, faults, log }).catch(async (error: unknown) => {
    clock.stop();
    await nomad.close();
    throw error;
  });
  const services = (which: SimService | 'both' = 'both'): SimService[] => (which === 'both' ? ['nomad', 'consul'] : [which]);
  const remove = <T>(list: T[], item: T) => () => {
    const at = list.indexOf(item);
    if (at >= 0) list.splice(at, 1);
  };

  const control: SimulatorControl = {
    state,
    requests: log,
    now: () => clock.now(),
    async advance(ms) {
      if (!(clock instanceof ManualClock)) throw new Error('advance() needs the manual clock (startSimulator({ clock: "manual" }))');
      clock.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    async runJob(hcl, opts = {}) {
      return scheduler.register(await parseJobHcl(hcl), undefined, opts);
    },
    failNextDeployment: (jobId) => scheduler.failNextDeployment(jobId),
    setAllocHealth(allocId, healthy) {
      const alloc = state.allocs.get(allocId);
      if (!alloc) throw new Error(`no allocation ${allocId}`);
      alloc.checksPassing = healthy;
      alloc.wire.ModifyIndex = state.write('allocs', 'services');
    },
    writeTaskLog(allocId, task, type, text) {
      if (!state.allocs.has(allocId)) throw new Error(`no allocation ${allocId}`);
      const key = `${allocId}/${task}/${type}`;
      state.taskLogs.set(key, (state.taskLogs.get(key) ?? '') + text);
      },
    setAllocMemoryUsage(allocId, task, megabytes) {
      const alloc = state.allocs.get(allocId);
      if (!alloc) throw new Error(`no allocation ${allocId}`);
      alloc.memoryUsageMB = { ...alloc.memoryUsageMB, [task]: megabytes };
    },
    loseLeader(which, opts = {}) {
      for (const service of services(which)) state.leaders[service] = null;
      state.write('nodes');
      if (opts.reelectAfterMs !== undefined) clock.after(opts.reelectAfterMs, () => control.electLeader(which, 'server-2'));
    },
    electLeader(which, server) {
      const candidate = state.servers.find((s) => s.alive && (!server || s.name === server)) ?? state.servers.find((s) => s.alive);
      if (!candidate || !state.hasQuorum()) return;
      for (const service of services(which)) state.leaders[service] = candidate.name;
      state.write('nodes');
    },
    loseQuorum() {
      for (const server of state.servers.slice(1)) server.alive = false;
      control.loseLeader('both');
    },
    restoreQuorum() {
      for (const server of state.servers) server.alive = true;
      control.electLeader('both', 'server-1');
    },
    setNodeStatus(name, status) {
      const node = state.nodes.find((n) => n.name === name);
      if (!node) throw new Error(`no node ${name}`);
      node.status = status;
      node.modifyIndex = state.write('nodes', 'services');
    },
    delay(ms, where = {}) {
      const rule = { ms, ...(where.service ? { service: where.service } : {}), ...(where.path ? { match: where.path } : {}) };
      faults.delays.push(rule);
      return remove(faults.delays, rule);
    },
    failRequests(where) {
      const rule = { match: where.path, status: where.status ?? 500, remaining: where.times ?? Infinity, ...(where.service ? { service: where.service } : {}) };
      faults.failures.push(rule);
      return remove(faults.failures, rule);
    },
    clearFaults() {
      faults.failures.length = 0;
      faults.delays.length = 0;
    },
    deploymentRequests: (deploymentId) => countDeploymentRequests(log, deploymentId),
  };

  return {
    nomadUrl: nomad.url,
    consulUrl: consul.url,
    control,
    async close() {
      clock.stop();
      await Promise.all([nomad.close(), consul.close()]);
    },
  };
}
