// A crash at each step of the executor: the real CLI is killed (SIGKILL, no cleanup) at a named
// step through STEWARD_TEST_CRASH_AT, then a rerun must converge with nothing applied twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { NOMAD_SCENARIOS } from '../../src/demo/nomad-scenarios.js';
import { appliedCount, buildToplevels, readlinkIn, reboots } from '../helpers/fixture-hosts.js';
import { createLab, target, type Lab } from '../helpers/deploy-lab.js';
import { describeWithNix } from '../helpers/nix.js';

const STEPS = ['run.locked', 'host.intent', 'host.armed', 'host.profile-set', 'host.switched', 'host.confirmed', 'host.verified', 'job.intent', 'job.registered', 'job.watched'];
const scenario = (id: string) => [...HOST_SCENARIOS, ...NOMAD_SCENARIOS].find((s) => s.id === id)!;
// Long enough that the guard never fires before the rerun, even on a loaded machine (20 s did not
// hold at a load of 18): the rerun must settle the interrupted switch itself.
const CONFIG = { deploy: { confirmTimeoutSeconds: 300 } };

describeWithNix('a crash at each step of steward deploy', () => {
  let lab: Lab;
  let head: string;
  let mounts: string;
  let toplevel: string;
  let mountToplevels: Record<string, string>;

  beforeAll(async () => {
    lab = await createLab();
    head = await lab.commit('homepage + miniflux 2.2.1', [...scenario('leaf-service').edits, ...scenario('image-patch-bump').edits]);
    mounts = await lab.commit('nfs noatime', scenario('nfs-mount-options').edits);
    toplevel = (await buildToplevels(lab.repo.dir, head, ['node1'])).node1!;
    mountToplevels = await buildToplevels(lab.repo.dir, mounts, ['node1', 'node2', 'node3', 'desk']);
  });
  afterAll(() => lab?.close());

  for (const step of STEPS) {
    it(`converges after a crash at ${step}, applying nothing twice`, async () => {
      await lab.reset(CONFIG);
      const crashed = await lab.deploy(head, { env: { STEWARD_TEST_CRASH_AT: step } });
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect(crashed.stderr).toContain(`test hook: crashing at ${step}`);

      const rerun = await lab.deploy(head);
      expect(rerun.exitCode, rerun.stderr).toBe(0);
      expect(rerun.stderr).toMatch(/took over the lock of steward deploy/);
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).toBe(toplevel);
      expect(appliedCount(lab.host('node1'), toplevel)).toBe(1);
      expect(lab.sim.control.requests.count({ method: 'POST', path: /^\/v1\/jobs$/ })).toBe(1);
      expect(lab.sim.control.state.currentJob('miniflux')).toMatchObject({ Version: 1, Stable: true });
      const recovered = (rerun.json?.recovered ?? []) as Array<Record<string, unknown>>;
      if (step.startsWith('host.')) expect(recovered.map((r) => r.name)).toEqual(['node1']);
      if (step === 'job.registered' || step === 'job.watched') expect(String(target(rerun, 'job', 'miniflux')?.message)).toMatch(/already registered \(by an interrupted run\)/);
      // Done: a third run has nothing left to do, and the record says what runs where (checked
      // after the steps where something was half done).
      if (step === 'host.switched' || step === 'host.verified' || step === 'job.registered' || step === 'job.watched') {
        expect((await lab.deploy(head)).json).toMatchObject({ outcome: 'nothing-to-do', recovered: [] });
        const history = await lab.cli(['history', '--state', lab.stateFile, '--at', 'now', '--json']);
        expect((history.json?.targets as Array<Record<string, unknown>>).map((t) => `${t.kind}:${t.target}:${t.sha === head}`).sort()).toEqual(['host:node1:true', 'job:miniflux:true']);
      }
    });
  }

  it('converges after a crash while a host reboots', async () => {
    await lab.reset(CONFIG);
    const crashed = await lab.deploy(mounts, { env: { STEWARD_TEST_CRASH_AT: 'host.reboot-started:node2' } });
    expect(crashed.signal).toBe('SIGKILL');
    const rerun = await lab.deploy(mounts);
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect((rerun.json?.recovered as Array<Record<string, unknown>>).map((r) => `${r.name}:${r.action}:${r.result}`)).toEqual(['node2:reboot:verified']);
    for (const host of ['desk', 'node1', 'node2', 'node3']) {
      expect(reboots(lab.host(host)), host).toHaveLength(1);
      expect(readlinkIn(lab.host(host), 'run/booted-system')).toBe(mountToplevels[host]);
    }
  });
});
