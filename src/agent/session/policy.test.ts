import { describe, expect, it } from 'vitest';
import { StewardConfig } from '../../config/schema.js';
import { autonomyOf, decidePolicy } from './policy.js';

const config = StewardConfig.parse({
  hosts: { node1: { roles: ['consul-server', 'nomad-server'] }, nas: { roles: ['nfs-server'] } },
  agent: { criticalJobs: ['traefik'], autonomy: { 'restart-alloc': 'act' } },
});
const hosts = ['node1', 'nas'];
const decide = (actionClass: Parameters<typeof decidePolicy>[1]['actionClass'], target: string) => decidePolicy(config, { actionClass, target, why: 'test' }, hosts);

describe('agent policy', () => {
  it('allows restarting a leaf unit on a host', () => {
    expect(decide('restart-unit', 'nas:grafana.service')).toEqual({ verdict: 'allowed' });
  });
  it('escalates critical units', () => {
    expect(decide('restart-unit', 'nas:sshd.service')).toMatchObject({ verdict: 'escalate' });
    expect(decide('restart-unit', 'nas:wireguard-wg0.service')).toMatchObject({ verdict: 'escalate' });
  });
  it("escalates units named after a quorum member's server (consul*, nomad*, vault*) even when not listed critical", () => {
    const custom = StewardConfig.parse({ hosts: { node1: { roles: ['consul-server'] } }, classify: { criticalUnits: [] } });
    expect(decidePolicy(custom, { actionClass: 'restart-unit', target: 'node1:consul-template.service', why: '' }, ['node1'])).toMatchObject({ verdict: 'escalate' });
  });
  it('refuses malformed targets and unknown hosts', () => {
    expect(decide('restart-unit', 'nas:grafana.service; reboot')).toMatchObject({ verdict: 'invalid' });
    expect(decide('restart-unit', 'elsewhere:grafana.service')).toMatchObject({ verdict: 'invalid' });
    expect(decide('restart-alloc', 'web/not-an-id')).toMatchObject({ verdict: 'invalid' });
  });
  it('escalates critical jobs', () => {
    expect(decide('restart-job', 'traefik')).toMatchObject({ verdict: 'escalate' });
    expect(decide('restart-job', 'whoami')).toEqual({ verdict: 'allowed' });
  });
  it("allows a leaf host's rollback and main's redeploy (the deploy's gate and dry run decide further); escalates a quorum member's rollback", () => {
    expect(decide('rollback-host', 'nas')).toEqual({ verdict: 'allowed' });
    expect(decide('rollback-host', 'node1')).toMatchObject({ verdict: 'escalate', reason: expect.stringContaining('quorum member') });
    expect(decide('rollback-host', 'elsewhere')).toMatchObject({ verdict: 'invalid' });
    expect(decide('redeploy-head', 'main')).toEqual({ verdict: 'allowed' });
    expect(decide('redeploy-head', 'feature')).toMatchObject({ verdict: 'invalid' });
  });
  it('starts every class at observe', () => {
    expect(autonomyOf(config, 'restart-unit')).toBe('observe');
    expect(autonomyOf(config, 'restart-alloc')).toBe('act');
  });
});
