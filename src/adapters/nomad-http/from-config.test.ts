// Building the clients from steward.json and the environment, against the simulator.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/schema.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { consulClientFromConfig } from '../consul-http/from-config.js';
import { nomadClientFromConfig } from './from-config.js';

const running: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const item of running.splice(0)) await item.close();
});

describe('clients from config', () => {
  it('builds no client when neither steward.json nor the environment names an address', () => {
    expect(nomadClientFromConfig(defaultConfig().nomad, { env: {} })).toBeUndefined();
    expect(consulClientFromConfig(defaultConfig().consul, { env: {} })).toBeUndefined();
  });

  it('takes addresses, tokens, namespace and region from the environment Nomad and Consul use', async () => {
    const sim: Simulator = await startSimulator({ clock: 'manual', nomadToken: 'nomad-secret', consulToken: 'consul-secret' });
    running.push(sim);
    const env = { NOMAD_ADDR: sim.nomadUrl, NOMAD_TOKEN: 'nomad-secret', NOMAD_REGION: 'global', CONSUL_HTTP_ADDR: sim.consulUrl.replace('http://', ''), CONSUL_HTTP_TOKEN: 'consul-secret' };
    const nomad = nomadClientFromConfig(defaultConfig().nomad, { env })!;
    const consul = consulClientFromConfig(defaultConfig().consul, { env })!;
    running.push(nomad, consul);
    expect(await nomad.listJobs()).toHaveLength(3);
    expect(await consul.members()).toHaveLength(6);
    expect(sim.control.requests.all({ service: 'nomad', path: '/v1/jobs' })[0]!.query).toContain('region=global');
  });

  it('prefers the address in steward.json and the token variable it names', async () => {
    const sim = await startSimulator({ clock: 'manual', nomadToken: 'from-custom-var' });
    running.push(sim);
    const config = { ...defaultConfig().nomad, address: sim.nomadUrl, tokenEnv: 'LAB_NOMAD_TOKEN' };
    const nomad = nomadClientFromConfig(config, { env: { NOMAD_ADDR: 'http://127.0.0.1:1', LAB_NOMAD_TOKEN: 'from-custom-var' } })!;
    running.push(nomad);
    expect(await nomad.listJobs()).toHaveLength(3);
  });
});
