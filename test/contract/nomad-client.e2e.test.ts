// The Nomad client end to end against the simulator: plan, register with EnforceIndex, watch a
// deployment with blocking queries, failed deployments and reverts, leader and quorum loss,
// 5xx and slow answers with the client's retries and deadline, and the ACL token.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNomadClient, type NomadClient, type NomadClientOptions } from '../../src/adapters/nomad-http/client.js';
import { waitForEvaluation, watchDeployment } from '../../src/stages/deploy/watch-deployment.js';
import { ApiError } from '../../src/errors.js';
import type { Logger } from '../../src/ports/logger.js';
import { SCENARIO_JOBS } from '../../src/sim/scenarios.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/simulator.js';
import { planJobs } from '../../src/stages/build/plan-jobs.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function setup(simOptions: SimulatorOptions = {}, clientOptions: Partial<NomadClientOptions> = {}): Promise<{ sim: Simulator; nomad: NomadClient }> {
  const sim = await startSimulator({ clock: 'manual', ...simOptions });
  open.push(sim);
  const nomad = createNomadClient({ address: sim.nomadUrl, retryDelayMs: 5, ...clientOptions });
  open.push(nomad);
  return { sim, nomad };
}

/** Polls a condition the test cannot await directly (a request reaching the simulator). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > 5_000) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const bump = (job: string, from: string, to: string) => SCENARIO_JOBS[job]!.replace(from, to);

/** Registers a job file and returns its deployment ID, as the deploy executor will. */
async function deploy(nomad: NomadClient, hcl: string): Promise<string> {
  const job = await nomad.parseJob(hcl);
  const plan = await nomad.planJob(job);
  const outcome = await nomad.registerJob(job, { enforceIndex: plan.jobModifyIndex });
  if (outcome.status !== 'registered') throw new Error(outcome.message);
  const evaluation = await waitForEvaluation(nomad, outcome.evalId);
  return evaluation.deploymentId!;
}

describe('Nomad client against the simulator', () => {
  it('plans, registers with EnforceIndex and watches the deployment to success with blocking queries', async () => {
    const { sim, nomad } = await setup();
    const job = await nomad.parseJob(bump('whoami', 'v1.10.1', 'v1.10.2'));
    const plan = await nomad.planJob(job);
    expect(plan.groups).toEqual([{ group: 'web', place: 0, stop: 0, migrate: 0, inPlaceUpdate: 0, destructiveUpdate: 2, canary: 0, ignore: 0 }]);
    expect(plan.fields).toEqual([{ path: 'group.web.task.whoami.Config.image', type: 'Edited', old: 'traefik/whoami:v1.10.1', new: 'traefik/whoami:v1.10.2' }]);
    const outcome = await nomad.registerJob(job, { enforceIndex: plan.jobModifyIndex });
    expect(outcome.status).toBe('registered');
    const evaluation = await waitForEvaluation(nomad, outcome.status === 'registered' ? outcome.evalId : '');
    const seen: string[] = [];
    const watching = watchDeployment(nomad, evaluation.deploymentId!, { waitMs: 30_000, onUpdate: (d) => seen.push(`${d.status}:${d.groups.web!.healthyAllocs}`) });
    const requests = () => sim.control.deploymentRequests(evaluation.deploymentId!);
    await waitFor(() => requests() === 2 && seen.length === 1); // the second request is a blocking query, waiting
    await sim.control.advance(1_000); // allocations start: the deployment itself does not change
    await sim.control.advance(10_000); // min_healthy_time passes: both allocations healthy
    const result = await watching;
    expect(result.status).toBe('successful');
    expect(seen).toEqual(['running:0', 'successful:2']);
    // Blocking queries: one request per change of the deployment, not one per poll interval.
    expect(result.requests).toBe(2);
    expect(sim.control.deploymentRequests(evaluation.deploymentId!)).toBe(result.requests);
    const watched = sim.control.requests.all({ path: `/v1/deployment/${evaluation.deploymentId}` });
    expect(watched.slice(1).every((r) => /[?&]index=\d+/.test(r.query) && /[?&]wait=30000ms/.test(r.query))).toBe(true);
    const [latest] = await nomad.jobVersions('whoami');
    expect(latest).toMatchObject({ version: 1, stable: true });
    const allocations = (await nomad.deploymentAllocations(evaluation.deploymentId!)).value;
    expect(allocations.map((a) => [a.jobVersion, a.clientStatus, a.healthy])).toEqual([
      [1, 'running', true],
      [1, 'running', true],
    ]);
  });

  it('sends namespace and region with every request, and validates jobs on the cluster', async () => {
    const { sim, nomad } = await setup({}, { namespace: 'default', region: 'global' });
    expect(await nomad.readJob('no-such-job')).toBeNull();
    const validation = await nomad.validateJob({ ID: 'broken job', Datacenters: ['dc1'], TaskGroups: [{ Name: 'g', Count: -1, Tasks: [{ Name: 't' }] }] });
    expect(validation.errors).toEqual(['Job ID contains a space', "Task group g count can't be negative", 'Task group g: task t missing driver']);
    expect((await nomad.validateJob(await nomad.parseJob(SCENARIO_JOBS.whoami!))).errors).toEqual([]);
    const queries = sim.control.requests.all({ service: 'nomad' }).map((r) => new URLSearchParams(r.query));
    expect(queries.every((q) => q.get('namespace') === 'default' && q.get('region') === 'global')).toBe(true);
  });

  it('reports a conflict, registering nothing, when the job changed since it was planned', async () => {
    const { sim, nomad } = await setup();
    const job = await nomad.parseJob(bump('whoami', 'v1.10.1', 'v1.10.2'));
    const plan = await nomad.planJob(job);
    await sim.control.runJob(bump('whoami', 'count = 2', 'count = 3')); // someone else deploys first
    const outcome = await nomad.registerJob(job, { enforceIndex: plan.jobModifyIndex });
    expect(outcome).toMatchObject({ status: 'conflict' });
    expect(outcome.status === 'conflict' && outcome.message).toMatch(/conflicting job modify index/);
    expect((await nomad.jobVersions('whoami')).map((v) => v.version)).toEqual([1, 0]);
  });

  it('watches a failed deployment, then reverts to the last stable version', async () => {
    const { sim, nomad } = await setup();
    sim.control.failNextDeployment('postgres');
    const deploymentId = await deploy(nomad, bump('postgres', '16.4', '17.0'));
    const watching = watchDeployment(nomad, deploymentId, { waitMs: 30_000 });
    await sim.control.advance(11_000);
    const result = await watching;
    expect(result.status).toBe('failed');
    expect(result.deployment.statusDescription).toBe('Failed due to unhealthy allocations');
    const versions = await nomad.jobVersions('postgres');
    expect(versions.map((v) => [v.version, v.stable])).toEqual([
      [1, false],
      [0, true],
    ]);
    const revert = await nomad.revertJob('postgres', 0, { enforcePriorVersion: 1 });
    expect(revert.status).toBe('registered');
    const after = await nomad.latestDeployment('postgres');
    expect(after.value).toMatchObject({ jobVersion: 2, status: 'running' });
    await sim.control.advance(11_000);
    expect((await nomad.deployment(after.value!.id)).value.status).toBe('successful');
    const current = await nomad.readJob('postgres');
    expect(JSON.stringify(current)).toContain('postgres:16.4');
  });

  it('sees a job whose update block says auto_revert revert itself after a failed deployment', async () => {
    const { sim, nomad } = await setup();
    sim.control.failNextDeployment('whoami');
    const deploymentId = await deploy(nomad, bump('whoami', 'v1.10.1', 'v2.0.0'));
    const watching = watchDeployment(nomad, deploymentId, { waitMs: 30_000 });
    await sim.control.advance(11_000);
    const result = await watching;
    expect(result.status).toBe('failed');
    expect(result.deployment.statusDescription).toBe('Failed due to unhealthy allocations - rolling back to job version 0');
    const rollback = await nomad.latestDeployment('whoami');
    expect(rollback.value).toMatchObject({ jobVersion: 2, status: 'running' });
    await sim.control.advance(11_000);
    expect((await nomad.deployment(rollback.value!.id)).value.status).toBe('successful');
    expect(JSON.stringify(await nomad.readJob('whoami'))).toContain('traefik/whoami:v1.10.1');
  });

  it('reads leader, peers and raft configuration, and sees a lost leader come back', async () => {
    const { sim, nomad } = await setup({}, { retries: 0 });
    expect(await nomad.leader()).toBe('10.0.0.11:4647');
    expect(await nomad.peers()).toHaveLength(3);
    const raft = await nomad.raftConfiguration();
    expect(raft.filter((s) => s.leader).map((s) => s.node)).toEqual(['server-1.global']);
    sim.control.loseLeader('nomad', { reelectAfterMs: 5_000 });
    expect(await nomad.leader()).toBeNull();
    const error = await nomad.raftConfiguration().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ service: 'nomad', status: 500 });
    expect((error as Error).message).toContain('No cluster leader');
    expect(await nomad.peers()).toHaveLength(3); // agent-local, answers without a leader
    await sim.control.advance(5_000);
    expect(await nomad.leader()).toBe('10.0.0.12:4647');
  });

  it('refuses writes after quorum is lost, and planJobs says why without asking for every job', async () => {
    const { sim, nomad } = await setup({}, { retries: 1 });
    const jobs = await Promise.all(Object.values(SCENARIO_JOBS).map((hcl) => nomad.parseJob(hcl)));
    sim.control.loseQuorum();
    const results = await planJobs(nomad, jobs, { concurrency: 1 });
    expect(results.map((r) => r.result.planned)).toEqual([false, false, false]);
    expect(results[0]!.result).toMatchObject({ note: expect.stringMatching(/^not planned: nomad: POST \/v1\/job\/whoami\/plan: 500 No cluster leader/) });
    expect(sim.control.requests.count({ path: /\/plan$/ })).toBe(2); // one job, one retry; the others are not sent
    sim.control.restoreQuorum();
    expect((await planJobs(nomad, jobs)).map((r) => r.result.planned)).toEqual([true, true, true]);
  });

  it('retries idempotent reads through 5xx answers, but never a register', async () => {
    const { sim, nomad } = await setup({}, { retries: 2 });
    sim.control.failRequests({ path: '/v1/jobs', status: 503, times: 2 });
    expect(await nomad.listJobs()).toHaveLength(3);
    expect(sim.control.requests.count({ path: '/v1/jobs', method: 'GET' })).toBe(3);
    sim.control.failRequests({ path: '/v1/nodes', status: 500 });
    await expect(nomad.nodes()).rejects.toMatchObject({ service: 'nomad', status: 500 });
    expect(sim.control.requests.count({ path: '/v1/nodes' })).toBe(3);
    sim.control.clearFaults();
    const job = await nomad.parseJob(bump('whoami', 'v1.10.1', 'v1.10.2'));
    sim.control.failRequests({ path: /^\/v1\/jobs$/, status: 500, times: 1 });
    await expect(nomad.registerJob(job)).rejects.toMatchObject({ status: 500 });
    expect(sim.control.requests.count({ path: /^\/v1\/jobs$/, method: 'POST' })).toBe(1);
  });

  it('gives up on a slow answer at its deadline, and waits for it with a longer one', async () => {
    const { sim } = await setup();
    sim.control.delay(400, { path: '/v1/status/leader' });
    const impatient = createNomadClient({ address: sim.nomadUrl, timeoutMs: 100, retries: 0 });
    open.push(impatient);
    const started = performance.now();
    const error = await impatient.leader().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: undefined });
    expect((error as Error).message).toContain('timed out after 100 ms');
    expect(performance.now() - started).toBeLessThan(350);
    const patient = createNomadClient({ address: sim.nomadUrl, timeoutMs: 2_000, retries: 0 });
    open.push(patient);
    expect(await patient.leader()).toBe('10.0.0.11:4647');
  });

  it('blocks a query until the index moves, or answers the same index when the wait passes', async () => {
    const { sim, nomad } = await setup();
    const first = await nomad.nodes();
    let started = performance.now();
    const unchanged = await nomad.nodes({ index: first.index, waitMs: 250 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(unchanged.index).toBe(first.index);
    started = performance.now();
    const pending = nomad.nodes({ index: first.index, waitMs: 30_000 });
    setTimeout(() => sim.control.setNodeStatus('client-2', 'down'), 50);
    const changed = await pending;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(changed.index).toBeGreaterThan(first.index);
    expect(changed.value.find((n) => n.name === 'client-2')?.status).toBe('down');
  });

  it('sends the ACL token in X-Nomad-Token and never lets it reach logs or errors', async () => {
    const token = '4f1c7a55-9f4e-4b7a-8d1e-2c3b4a5d6e7f';
    const lines: string[] = [];
    const logger: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), debug: (m) => lines.push(m), group: (_t, fn) => fn() };
    const { sim, nomad } = await setup({ nomadToken: token }, { token, logger, retries: 0 });
    expect(await nomad.listJobs()).toHaveLength(3);
    expect(sim.control.requests.all({ path: '/v1/jobs' }).every((r) => r.tokenPresent)).toBe(true);
    const stranger = createNomadClient({ address: sim.nomadUrl, token: `${token.slice(0, -1)}0`, logger, retries: 0 });
    open.push(stranger);
    const error = await stranger.listJobs().catch((e: unknown) => e);
    expect(error).toMatchObject({ service: 'nomad', status: 403 });
    sim.control.failRequests({ path: '/v1/nodes', status: 500 });
    const failure = await nomad.nodes().catch((e: unknown) => e);
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...lines, String(error), String(failure)]) expect(text).not.toContain(token.slice(0, 8));
  });

  it('plans nothing and says why when nothing answers at the address', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const nomad = createNomadClient({ address: `http://127.0.0.1:${port}`, retries: 1, retryDelayMs: 5 });
    open.push(nomad);
    const results = await planJobs(nomad, [{ ID: 'a' }, { ID: 'b' }]);
    expect(results).toEqual([
      { jobId: 'a', result: { planned: false, note: `not planned: nomad: POST /v1/job/a/plan: connection refused (http://127.0.0.1:${port})` } },
      { jobId: 'b', result: { planned: false, note: expect.stringMatching(/^not planned: nomad: POST \/v1\/job\/[ab]\/plan: connection refused/) } },
    ]);
  });
});
