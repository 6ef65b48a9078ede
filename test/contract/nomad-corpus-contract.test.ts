// Real homelab jobs through the simulator and the client, held to the Nomad OpenAPI description:
// every before/after pair of ../shared/corpus/nomad-job-changes is registered, re-parsed and
// planned; every exchange must match the contract and every plan must read as a JobPlan.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNomadClient, type NomadClient } from '../../src/adapters/nomad-http/client.js';
import { JobPlan } from '../../src/model/job-plan.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { requireShared, sharedPath } from '../helpers/shared.js';
import { loadNomadContract, NOMAD_OPENAPI_PATH } from './nomad-openapi.js';

const CHANGES = sharedPath('corpus/nomad-job-changes');
const present = requireShared('the Nomad corpus contract suite', [CHANGES, NOMAD_OPENAPI_PATH]);
const contract = present ? loadNomadContract() : null;

interface Planned {
  id: string;
  plan: JobPlan;
  /** Groups in which a task's image was edited (not added with a new group or task). */
  imageGroups: string[];
}

describe.skipIf(!present)('real job changes through the simulator, against the Nomad contract', () => {
  let sim: Simulator;
  let nomad: NomadClient;
  const planned: Planned[] = [];

  beforeAll(async () => {
    // The corpus homelab names its datacenter "skynet": the simulated clients live there too.
    sim = await startSimulator({ clock: 'manual', scenario: 'empty', datacenter: 'skynet', recordBodies: true });
    nomad = createNomadClient({ address: sim.nomadUrl, retries: 0 });
    for (const id of readdirSync(CHANGES).filter((d) => existsSync(join(CHANGES, d, 'after.nomad'))).sort()) {
      const before = join(CHANGES, id, 'before.nomad');
      const after = readFileSync(join(CHANGES, id, 'after.nomad'), 'utf8');
      if (existsSync(before)) await sim.control.runJob(readFileSync(before, 'utf8'), { instant: true });
      const plan = await nomad.planJob(await nomad.parseJob(after));
      planned.push({ id, plan, imageGroups: plan.fields.filter((f) => f.type === 'Edited' && f.path.endsWith('.Config.image')).map((f) => f.path.split('.')[1]!) });
    }
  }, 300_000);
  afterAll(async () => {
    nomad?.close();
    await sim?.close();
  });

  it('plans every pair', () => {
    expect(planned.length).toBeGreaterThanOrEqual(60);
    for (const { plan } of planned) expect(JobPlan.parse(plan)).toEqual(plan);
  });

  it('serves and receives only what the description allows', () => {
    const problems: string[] = [];
    for (const record of sim.control.requests.all({ service: 'nomad' })) {
      const op = contract!.resolve(record.method, record.path);
      if (!op) problems.push(`${record.method} ${record.path}: not in the description`);
      else {
        if (record.method !== 'GET') problems.push(...contract!.validateRequest(op, record.requestBody));
        if ((record.status ?? 0) < 300) problems.push(...contract!.validateResponse(op, record.status!, record.responseBody, record.responseHeaders ?? {}));
        else problems.push(`${record.method} ${record.path}: ${record.status} ${String(record.responseBody)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('sees every pair as a change, and replaces the allocations of a service whose image changed', () => {
    expect(planned.filter((p) => p.plan.diffType !== 'Edited').map((p) => p.id)).toEqual([]);
    const imageBumps = planned.filter((p) => p.imageGroups.length > 0);
    expect(imageBumps.length).toBeGreaterThan(20);
    for (const { id, plan, imageGroups } of imageBumps) {
      for (const name of imageGroups) {
        const group = plan.groups.find((g) => g.group === name)!;
        expect(group.destructiveUpdate + group.canary, `${id} ${name}`).toBeGreaterThan(0);
      }
    }
  });
});
