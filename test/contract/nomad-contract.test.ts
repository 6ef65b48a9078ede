// Holds the simulator and the Nomad client to HashiCorp's Nomad OpenAPI description: every
// request body the client sends and every answer the simulator serves, for every endpoint used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNomadClient, type NomadClient } from '../../src/adapters/nomad-http/client.js';
import { waitForEvaluation, watchDeployment } from '../../src/stages/deploy/watch-deployment.js';
import { SCENARIO_JOBS } from '../../src/sim/scenarios.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { requireShared } from '../helpers/shared.js';
import { loadNomadContract, NOMAD_OPENAPI_PATH, type NomadContract } from './nomad-openapi.js';

const contract = requireShared('the Nomad contract tests', [NOMAD_OPENAPI_PATH]) ? loadNomadContract() : null;

/** Every operation Steward's client uses: each must have been exercised and matched. */
const CLIENT_OPERATIONS = [
  'PostJobParse',
  'PostJobValidateRequest',
  'PostJobPlan',
  'RegisterJob',
  'GetJobs',
  'GetJob',
  'GetJobVersions',
  'PostJobRevert',
  'GetEvaluation',
  'GetJobDeployment',
  'GetDeployment',
  'GetDeploymentAllocations',
  'GetJobAllocations',
  'GetStatusLeader',
  'GetStatusPeers',
  'GetOperatorRaftConfiguration',
  'GetNodes',
  'DeleteJob',
  'PostAllocationStop',
];
/** Served by the simulator but not used by the client: checked all the same. */
const EXTRA_OPERATIONS = ['PostJob', 'GetDeployments', 'GetJobDeployments', 'GetAllocation'];

describe.skipIf(!contract)('the Nomad simulator and client against the Nomad OpenAPI description', () => {
  let sim: Simulator;
  let nomad: NomadClient;
  const c = contract as NomadContract;

  beforeAll(async () => {
    sim = await startSimulator({ clock: 'manual', recordBodies: true });
    nomad = createNomadClient({ address: sim.nomadUrl, retries: 0 });
    await driveEveryEndpoint(sim, nomad);
  });
  afterAll(async () => {
    nomad?.close();
    await sim?.close();
  });

  it('matches every request body the client sent and every answer the simulator served', () => {
    const problems: string[] = [];
    for (const record of sim.control.requests.all({ service: 'nomad' })) {
      const op = c.resolve(record.method, record.path);
      if (!op) {
        problems.push(`${record.method} ${record.path}: not in the description`);
        continue;
      }
      if (record.method !== 'GET') problems.push(...c.validateRequest(op, record.requestBody));
      if ((record.status ?? 0) >= 300) continue;
      // Known gap: Nomad answers `null` for a job without deployments; the description cannot say so.
      if (op.operationId === 'GetJobDeployment' && record.responseBody === null) continue;
      problems.push(...c.validateResponse(op, record.status!, record.responseBody, record.responseHeaders ?? {}));
    }
    expect(problems).toEqual([]);
  });

  it('exercised every endpoint the client uses and the simulator serves', () => {
    const hit = new Set(
      sim.control.requests
        .all({ service: 'nomad' })
        .filter((r) => (r.status ?? 0) < 300)
        .map((r) => c.resolve(r.method, r.path)?.operationId),
    );
    expect([...CLIENT_OPERATIONS, ...EXTRA_OPERATIONS].filter((op) => !hit.has(op))).toEqual([]);
  });

  it('catches an answer that drifts from the description', () => {
    const op = c.resolve('GET', '/v1/deployment/abc')!;
    const good = { ID: 'abc', JobID: 'web', JobVersion: 1, Status: 'running', TaskGroups: {} };
    expect(c.validateResponse(op, 200, good, { 'X-Nomad-Index': '5', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' })).toEqual([]);
    expect(c.validateResponse(op, 200, { ...good, JobVersion: '1' }, { 'X-Nomad-Index': '5', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' })).not.toEqual([]);
    expect(c.validateResponse(op, 200, { ...good, Statuz: 'running' }, { 'X-Nomad-Index': '5', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' }).join()).toContain('Statuz');
    expect(c.validateResponse(op, 200, good, {}).join()).toContain('X-Nomad-Index');
  });

  it('catches a request body that drifts from the description', () => {
    const op = c.resolve('POST', '/v1/jobs')!;
    expect(c.validateRequest(op, { Job: { ID: 'web' }, EnforceIndex: true, JobModifyIndex: 3 })).toEqual([]);
    expect(c.validateRequest(op, { Job: { ID: 'web' }, EnforceIndex: 'yes' })).not.toEqual([]);
    expect(c.validateRequest(op, { Job: { ID: 'web', TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Image: 'x' }] }] } }).join()).toContain('Image');
  });
});

/** Runs the client through everything it can do, and hits the simulator's other endpoints raw. */
async function driveEveryEndpoint(sim: Simulator, nomad: NomadClient): Promise<void> {
  await nomad.leader();
  await nomad.peers();
  await nomad.raftConfiguration();
  await nomad.nodes();
  await nomad.listJobs();
  await nomad.readJob('whoami');
  await nomad.jobVersions('whoami');
  await nomad.jobAllocations('whoami');
  await nomad.latestDeployment('traefik');
  for (const hcl of Object.values(SCENARIO_JOBS)) {
    const job = await nomad.parseJob(hcl.replace(/image(\s*)= "([^"]+)"/, 'image$1= "$2-next"'));
    await nomad.validateJob(job);
    await nomad.planJob(job);
  }
  await nomad.validateJob({ ID: 'broken', TaskGroups: [] });
  const job = await nomad.parseJob(SCENARIO_JOBS.whoami!.replace('v1.10.1', 'v1.10.2'));
  const plan = await nomad.planJob(job);
  const registered = await nomad.registerJob(job, { enforceIndex: plan.jobModifyIndex });
  if (registered.status !== 'registered') throw new Error('register failed');
  await nomad.registerJob(job, { enforceIndex: 1 });
  const evaluation = await waitForEvaluation(nomad, registered.evalId);
  const watch = watchDeployment(nomad, evaluation.deploymentId!, { waitMs: 5000 });
  await sim.control.advance(1000);
  await nomad.deploymentAllocations(evaluation.deploymentId!);
  await sim.control.advance(10_000);
  await watch;
  await nomad.latestDeployment('whoami');
  await nomad.revertJob('whoami', 0);
  const raw = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sim.nomadUrl}${path}`, { method, ...(body ? { body: JSON.stringify(body) } : {}) });
    return res.json() as Promise<Record<string, unknown>>;
  };
  await raw('POST', '/v1/job/postgres', { Job: await nomad.parseJob(SCENARIO_JOBS.postgres!.replace('16.4', '16.5')) });
  await raw('GET', '/v1/deployments');
  await raw('GET', '/v1/job/whoami/deployments');
  const [alloc] = (await nomad.jobAllocations('whoami')).value;
  await raw('GET', `/v1/allocation/${alloc!.id}`);
  await nomad.allocationEvents(alloc!.id);
  await nomad.stopAllocation(alloc!.id);
  const stopped = await nomad.deregisterJob('postgres');
  await waitForEvaluation(nomad, stopped.evalId);
}
