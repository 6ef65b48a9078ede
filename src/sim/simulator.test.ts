// The simulator as a whole: scenarios, Nomad-like HTTP answers, the request log and its clock.
import { afterEach, describe, expect, it } from 'vitest';
import { allChecks, members } from './consul-views.js';
import { SCENARIO_JOBS } from './scenarios.js';
import { startSimulator, type Simulator } from './simulator.js';
import { waitFor } from '../../test/helpers/wait-for.js';

const running: Simulator[] = [];
afterEach(async () => {
  for (const sim of running.splice(0)) await sim.close();
});
async function start(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const sim = await startSimulator({ clock: 'manual', ...options });
  running.push(sim);
  return sim;
}
const post = (url: string, body: string) => fetch(url, { method: 'POST', body });

describe('startSimulator', () => {
  it('starts a healthy homelab: 3 servers, 3 clients, running jobs, a system job on every client', async () => {
    const sim = await start();
    const { state } = sim.control;
    expect(state.servers.map((s) => s.name)).toEqual(['server-1', 'server-2', 'server-3']);
    expect(state.nodes.map((n) => n.name)).toEqual(['client-1', 'client-2', 'client-3']);
    expect([...state.jobs.keys()].sort()).toEqual(['postgres', 'traefik', 'whoami']);
    expect(new Set(state.liveAllocs('traefik').map((a) => a.wire.NodeName))).toEqual(new Set(['client-1', 'client-2', 'client-3']));
    expect(allChecks(state).every((c) => c.Status === 'passing')).toBe(true);
  });

  it('starts degraded scenarios: a failing allocation, no leader, lost quorum', async () => {
    const unhealthy = await start({ scenario: 'unhealthy-alloc' });
    expect(allChecks(unhealthy.control.state).filter((c) => c.Status === 'critical').map((c) => c.ServiceName)).toEqual(['whoami']);
    const leaderless = await start({ scenario: 'no-leader' });
    expect(leaderless.control.state.leaders).toEqual({ nomad: null, consul: null });
    const quorumless = await start({ scenario: 'lost-quorum' });
    expect(members(quorumless.control.state).filter((m) => m.Status === 4).map((m) => m.Name)).toEqual(['server-2', 'server-3']);
  });

  it('fails the first rollout of every job in the failing-deployments scenario', async () => {
    const sim = await start({ scenario: 'failing-deployments' });
    await sim.control.runJob(SCENARIO_JOBS.postgres!.replace('16.4', '16.5'));
    await sim.control.advance(11_000);
    const [deployment] = [...sim.control.state.deployments.values()].filter((d) => d.JobID === 'postgres' && d.JobVersion === 1);
    expect(deployment).toMatchObject({ Status: 'failed' });
  });

  it('answers like Nomad to unknown paths, wrong methods, bad bodies and EnforceIndex on a new job', async () => {
    const sim = await start();
    expect((await fetch(`${sim.nomadUrl}/v1/nope`)).status).toBe(404);
    expect((await fetch(`${sim.nomadUrl}/v1/status/leader`, { method: 'POST' })).status).toBe(405);
    expect((await post(`${sim.nomadUrl}/v1/jobs`, '{not json')).status).toBe(400);
    const job = await (await post(`${sim.nomadUrl}/v1/jobs/parse`, JSON.stringify({ JobHCL: SCENARIO_JOBS.whoami!.replace('"whoami" {', '"other" {') }))).json();
    const res = await post(`${sim.nomadUrl}/v1/jobs`, JSON.stringify({ Job: job, EnforceIndex: true, JobModifyIndex: 5 }));
    expect([res.status, await res.text()]).toEqual([500, 'Enforcing job modify index 5: job does not exist']);
    const parseError = await post(`${sim.nomadUrl}/v1/jobs/parse`, JSON.stringify({ JobHCL: 'job "x" {' }));
    expect(parseError.status).toBe(400);
  });

  it('keeps request bodies only when asked to, and never the token', async () => {
    const sim = await start({ nomadToken: 'a-secret-token-value' });
    await fetch(`${sim.nomadUrl}/v1/jobs`, { headers: { 'X-Nomad-Token': 'a-secret-token-value' } });
    await post(`${sim.nomadUrl}/v1/jobs/parse`, JSON.stringify({ JobHCL: SCENARIO_JOBS.whoami }));
    const records = sim.control.requests.all();
    expect(records.map((r) => [r.path, r.status, r.tokenPresent])).toEqual([
      ['/v1/jobs', 200, true],
      ['/v1/jobs/parse', 403, false],
    ]);
    expect(JSON.stringify(records)).not.toContain('a-secret-token-value');
    expect(records.every((r) => r.requestBody === undefined && r.responseBody === undefined)).toBe(true);
  });

  it('moves time only through advance() with the manual clock, and refuses advance() on real time', async () => {
    const manual = await start();
    const before = manual.control.now();
    await manual.control.advance(60_000);
    expect(manual.control.now() - before).toBe(60_000);
    const real = await start({ clock: 'real', scenario: 'empty' });
    await expect(real.control.advance(1)).rejects.toThrow(/manual clock/);
  });

  it('progresses a deployment on wall time with the real clock (as `steward sim` runs)', async () => {
    const sim = await start({ clock: 'real', placeDelayMs: 20 });
    const reply = await sim.control.runJob(SCENARIO_JOBS.whoami!.replace('min_healthy_time = "10s"', 'min_healthy_time = "50ms"').replace('v1.10.1', 'v1.10.2'));
    const evaluation = sim.control.state.evals.get(String(reply.EvalID))!;
    const deployment = sim.control.state.deployments.get(String(evaluation.DeploymentID))!;
    expect(deployment.Status).toBe('running');
    // Wall time moves it on: wait for the state, however slow a loaded machine is.
    await waitFor('the deployment to succeed on wall time', () => deployment.Status !== 'running');
    expect(deployment.Status).toBe('successful');
  });
});
