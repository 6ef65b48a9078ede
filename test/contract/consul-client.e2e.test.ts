// The Consul client end to end against the simulator: service health that follows allocation
// health, checks by state, members, raft peers and leader, quorum loss and the ACL token.
import { afterEach, describe, expect, it } from 'vitest';
import { createConsulClient, type ConsulClient } from '../../src/adapters/consul-http/client.js';
import { SCENARIO_JOBS } from '../../src/sim/scenarios.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function setup(token?: string): Promise<{ sim: Simulator; consul: ConsulClient }> {
  const sim = await startSimulator({ clock: 'manual', ...(token ? { consulToken: token } : {}) });
  open.push(sim);
  const consul = createConsulClient({ address: sim.consulUrl, retries: 0, ...(token ? { token } : {}) });
  open.push(consul);
  return { sim, consul };
}

describe('Consul client against the simulator', () => {
  it('lists the instances of a service Nomad runs, with passing checks', async () => {
    const { consul } = await setup();
    const { value } = await consul.serviceHealth('whoami');
    expect(value).toHaveLength(2);
    for (const instance of value) {
      expect(instance.tags).toContain('traefik.enable=true');
      expect(instance.port).toBeGreaterThanOrEqual(20000);
      expect(instance.checks.map((c) => [c.checkId === 'serfHealth' ? 'serf' : 'service', c.status])).toEqual([
        ['serf', 'passing'],
        ['service', 'passing'],
      ]);
    }
  });

  it('shows a failing allocation as a critical check, and drops it from passing-only answers', async () => {
    const { sim, consul } = await setup();
    const before = await consul.serviceHealth('whoami');
    const alloc = sim.control.state.liveAllocs('whoami')[0]!;
    sim.control.setAllocHealth(String(alloc.wire.ID), false);
    const all = await consul.serviceHealth('whoami', { index: before.index, waitMs: 5_000 });
    expect(all.index).toBeGreaterThan(before.index);
    expect(all.value.flatMap((i) => i.checks).filter((c) => c.status === 'critical')).toHaveLength(1);
    expect((await consul.serviceHealth('whoami', { passingOnly: true })).value).toHaveLength(1);
    const critical = await consul.checksInState('critical');
    expect(critical.map((c) => c.serviceName)).toEqual(['whoami']);
  });

  it('follows a failed deployment: the new allocations register with critical checks', async () => {
    const { sim, consul } = await setup();
    sim.control.failNextDeployment('postgres');
    await sim.control.runJob(SCENARIO_JOBS.postgres!.replace('16.4', '17.0'));
    await sim.control.advance(1_000);
    const { value } = await consul.serviceHealth('postgres');
    expect(value).toHaveLength(1);
    expect(value[0]!.checks.find((c) => c.checkId !== 'serfHealth')?.status).toBe('critical');
  });

  it('reads members, leader, peers and raft configuration, and sees quorum lost', async () => {
    const { sim, consul } = await setup();
    const members = await consul.members();
    expect(members.map((m) => `${m.role}:${m.status}`).sort()).toEqual(['consul:alive', 'consul:alive', 'consul:alive', 'node:alive', 'node:alive', 'node:alive']);
    expect(await consul.leader()).toBe('10.0.0.11:8300');
    expect(await consul.peers()).toEqual(['10.0.0.11:8300', '10.0.0.12:8300', '10.0.0.13:8300']);
    expect((await consul.raftConfiguration()).filter((s) => s.leader)).toHaveLength(1);
    sim.control.loseQuorum();
    expect(await consul.leader()).toBeNull();
    expect((await consul.members()).filter((m) => m.status === 'failed').map((m) => m.name)).toEqual(['server-2', 'server-3']);
    await expect(consul.serviceHealth('whoami')).rejects.toMatchObject({ service: 'consul', status: 500 });
    expect((await consul.checksInState('critical').catch((e: Error) => e.message)) as string).toContain('No cluster leader');
  });

  it('sends X-Consul-Token and is refused without it', async () => {
    const token = 'b2c3d4e5-0000-4000-8000-123456789abc';
    const { sim, consul } = await setup(token);
    expect(await consul.members()).toHaveLength(6);
    expect(sim.control.requests.all({ service: 'consul', path: '/v1/agent/members' })[0]!.tokenPresent).toBe(true);
    const anonymous = createConsulClient({ address: sim.consulUrl, retries: 0 });
    open.push(anonymous);
    const error = await anonymous.members().catch((e: unknown) => e);
    expect(error).toMatchObject({ service: 'consul', status: 403 });
    expect(String(error)).not.toContain(token);
  });
});
