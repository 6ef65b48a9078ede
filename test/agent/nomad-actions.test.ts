// The agent's Nomad actions against the simulator: an allocation restarted (Nomad's alloc stop,
// then a replacement that must come up running), a whole job one allocation at a time, and a
// critical job escalated instead.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNomadClient, type NomadClient } from '../../src/adapters/nomad-http/client.js';
import { requestAction } from '../../src/agent/session/request-action.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { sessionEnv } from '../helpers/session-env.js';

const open: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function setup(agent: unknown) {
  const sim: Simulator = await startSimulator({ scenario: 'unhealthy-alloc', placeDelayMs: 50 });
  const nomad: NomadClient = createNomadClient({ address: sim.nomadUrl, retries: 0 });
  const root = mkdtempSync(path.join(os.tmpdir(), 'steward-nomad-actions-'));
  open.push(() => sim.close(), () => nomad.close(), () => rmSync(root, { recursive: true, force: true }));
  const env = sessionEnv({ hostsRoot: root, hosts: [], config: { agent }, overrides: { nomad } });
  return { sim, nomad, env };
}

describe('agent Nomad actions', () => {
  it('restarts one allocation: the old one stops, a replacement with its name runs', async () => {
    const { nomad, env } = await setup({ autonomy: { 'restart-alloc': 'act' } });
    const [first] = (await nomad.jobAllocations('whoami')).value.filter((a) => a.desiredStatus === 'run');
    const outcome = await requestAction(env, 's-1', { actionClass: 'restart-alloc', target: `whoami/${first!.id.slice(0, 8)}`, why: 'unhealthy' });
    expect(outcome).toMatchObject({ status: 'succeeded' });
    const after = (await nomad.jobAllocations('whoami')).value;
    expect(after.find((a) => a.id === first!.id)?.desiredStatus).toBe('stop');
    expect(after.filter((a) => a.name === first!.name && a.desiredStatus === 'run' && a.clientStatus === 'running')).toHaveLength(1);
    expect(env.store.actions({ sessionId: 's-1' })).toMatchObject([{ actionClass: 'restart-alloc', status: 'succeeded' }]);
  });

  it('restarts a job one allocation at a time', async () => {
    const { nomad, env } = await setup({ autonomy: { 'restart-job': 'act' } });
    const before = (await nomad.jobAllocations('whoami')).value.filter((a) => a.desiredStatus === 'run').map((a) => a.id);
    const outcome = await requestAction(env, 's-2', { actionClass: 'restart-job', target: 'whoami', why: 'stuck' });
    expect(outcome).toMatchObject({ status: 'succeeded' });
    const running = (await nomad.jobAllocations('whoami')).value.filter((a) => a.desiredStatus === 'run');
    expect(running).toHaveLength(before.length);
    expect(running.some((a) => before.includes(a.id))).toBe(false);
  });

  it('escalates a critical job instead of restarting it', async () => {
    const { nomad, env } = await setup({ autonomy: { 'restart-job': 'act' }, criticalJobs: ['who*'] });
    const before = (await nomad.jobAllocations('whoami')).value.filter((a) => a.desiredStatus === 'run').map((a) => a.id);
    const outcome = await requestAction(env, 's-3', { actionClass: 'restart-job', target: 'whoami', why: 'stuck' });
    expect(outcome).toMatchObject({ status: 'refused', escalate: true });
    expect((await nomad.jobAllocations('whoami')).value.filter((a) => a.desiredStatus === 'run').map((a) => a.id)).toEqual(before);
  });
});
