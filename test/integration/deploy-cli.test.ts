// `steward deploy` end to end, the real CLI: the example homelab's toplevels (real Nix) activated
// on fixture hosts, its jobs on the Nomad/Consul simulator with fault injection.
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { NOMAD_SCENARIOS } from '../../src/demo/nomad-scenarios.js';
import { appliedCount, buildToplevels, injectFault, installFixtureHost, readlinkIn, reboots, switchLog } from '../helpers/fixture-hosts.js';
import { createLab, target, type Lab } from '../helpers/deploy-lab.js';
import { describeWithNix } from '../helpers/nix.js';

const scenario = (id: string) => [...HOST_SCENARIOS, ...NOMAD_SCENARIOS].find((s) => s.id === id)!;
const WHOAMI_NO_REVERT = [
  { file: 'nomad/whoami.nomad', find: 'traefik/whoami:v1.10.3', replace: 'traefik/whoami:v1.10.4' },
  { file: 'nomad/whoami.nomad', find: 'auto_revert      = true', replace: 'auto_revert      = false' },
];

describeWithNix('steward deploy', () => {
  let lab: Lab;
  const heads: Record<string, string> = {};
  const toplevels: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    lab = await createLab();
    heads.clean = await lab.commit('homepage + miniflux 2.2.1', [...scenario('leaf-service').edits, ...scenario('image-patch-bump').edits]);
    heads.docs = await lab.commit('docs', scenario('docs-only').edits, heads.clean);
    heads.whoami = await lab.commit('whoami v1.10.4, no auto-revert', WHOAMI_NO_REVERT);
    heads.mounts = await lab.commit('nfs noatime', scenario('nfs-mount-options').edits);
    heads.removeWhoami = await lab.commit('whoami: not needed any more', [{ file: 'nomad/whoami.nomad', remove: true }]);
    heads.removePostgres = await lab.commit('postgres: moved off the cluster', [{ file: 'nomad/postgres.nomad', remove: true }]);
    heads.drift = await lab.commit('node1: sshd on 2222 (deployed by hand)', [{ file: 'hosts/node1/default.nix', find: '  system.stateVersion', replace: '  services.openssh.ports = [ 22 2222 ];\n  system.stateVersion' }]);
    toplevels.clean = await buildToplevels(lab.repo.dir, heads.clean, ['node1']);
    toplevels.mounts = await buildToplevels(lab.repo.dir, heads.mounts, ['node1', 'node2', 'node3', 'desk']);
    toplevels.drift = await buildToplevels(lab.repo.dir, heads.drift, ['node1']);
  });
  afterAll(() => lab?.close());

  describe('a clean change', () => {
    it('activates the host and the job, verifies both, records them, and does nothing on a rerun', async () => {
      await lab.reset();
      const invariants = [
        { name: 'consul answers', http: `${lab.sim.consulUrl}/v1/status/leader` },
        { name: 'nas has its root', command: ['test', '-d', '/'], on: 'nas' },
      ];
      lab.configure({ invariants });
      const first = await lab.deploy(heads.clean!);
      expect(first.exitCode, first.stderr).toBe(0);
      expect(first.json).toMatchObject({ schema: 'steward.deploy/v1', outcome: 'deployed' });
      const commit = (first.json?.commits as Array<{ preflight: Array<{ name: string; ok: boolean }>; invariants: Array<{ name: string; ok: boolean }> }>)[0]!;
      for (const checks of [commit.preflight, commit.invariants]) expect(checks.filter((c) => c.name.startsWith('invariant:'))).toEqual([expect.objectContaining({ name: 'invariant: consul answers', ok: true }), expect.objectContaining({ name: 'invariant: nas has its root', ok: true })]);
      expect(target(first, 'host', 'node1')).toMatchObject({ result: 'verified', action: 'switch', to: toplevels.clean!.node1 });
      expect(target(first, 'job', 'miniflux')).toMatchObject({ result: 'verified', action: 'register', from: '0', to: '1' });
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).toBe(toplevels.clean!.node1);
      expect(lab.sim.control.state.currentJob('miniflux')).toMatchObject({ Version: 1, Stable: true });
      // Nothing else was touched.
      expect(switchLog(lab.host('nas'))).toEqual([]);

      const again = await lab.deploy(heads.clean!);
      expect(again.exitCode).toBe(0);
      expect(again.json).toMatchObject({ outcome: 'nothing-to-do' });
      expect(appliedCount(lab.host('node1'), toplevels.clean!.node1!)).toBe(1);
      expect(lab.sim.control.requests.count({ method: 'POST', path: /^\/v1\/jobs$/ })).toBe(1);

      const history = await lab.cli(['history', '--state', lab.stateFile, '--json']);
      const entries = (history.json?.entries ?? []) as Array<Record<string, unknown>>;
      expect(entries.map((e) => `${e.kind}:${e.target}:${e.result}`).sort()).toEqual(['host:node1:verified', 'job:miniflux:verified']);
      const at = await lab.cli(['history', '--state', lab.stateFile, '--at', 'now', '--target', 'node1', '--json']);
      expect(at.json).toMatchObject({ targets: [{ kind: 'host', target: 'node1', sha: heads.clean, to: toplevels.clean!.node1 }] });
      const before = await lab.cli(['history', '--state', lab.stateFile, '--at', '2000-01-01']);
      expect(before.stdout).toMatch(/Nothing had been deployed by 2000-01-01/);
    });

    it('stops a removed stateless job (no purge), once; holds the removal of a job that keeps data', async () => {
      await lab.reset();
      const first = await lab.deploy(heads.removeWhoami!);
      expect(first.exitCode, first.stderr).toBe(0);
      expect(target(first, 'job', 'whoami')).toMatchObject({ result: 'verified', action: 'stop' });
      expect(lab.sim.control.state.currentJob('whoami')).toMatchObject({ Stop: true });
      expect(lab.sim.control.state.liveAllocs('whoami')).toEqual([]);
      const again = await lab.deploy(heads.removeWhoami!);
      expect(again.json).toMatchObject({ outcome: 'nothing-to-do' });
      expect(lab.sim.control.requests.count({ method: 'DELETE', path: /^\/v1\/job\/whoami$/ })).toBe(1);

      const held = await lab.deploy(heads.removePostgres!);
      expect(held.exitCode).toBe(5);
      expect(target(held, 'job', 'postgres')).toMatchObject({ result: 'held' });
      expect(lab.sim.control.state.currentJob('postgres')).toMatchObject({ Stop: false });
    });

    it('prints the plan with --dry-run and changes nothing', async () => {
      await lab.reset();
      const run = await lab.deploy(heads.clean!, { args: ['--dry-run'] });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.json).toMatchObject({ outcome: 'planned', dryRun: true });
      expect(String(target(run, 'host', 'node1')?.message)).toMatch(/^switch to /);
      expect(String(target(run, 'job', 'miniflux')?.message)).toMatch(/register \(modified, EnforceIndex \d+\): miniflux: canary 1/);
      expect(switchLog(lab.host('node1'))).toEqual([]);
      expect(lab.sim.control.requests.count({ method: 'POST', path: /^\/v1\/jobs$/ })).toBe(0);
    });
  });

  describe('last good only moves forward', () => {
    it('refuses an older head (exit 9, one line), keeps last good, and goes back only with --rollback-to, recorded as a rollback', async () => {
      await lab.reset();
      expect((await lab.deploy(heads.clean!)).exitCode).toBe(0);

      const old = await lab.deploy(lab.base);
      expect(old.exitCode, old.stderr).toBe(9);
      expect(old.json).toMatchObject({ outcome: 'refused', commits: [{ outcome: 'refused', targets: [] }] });
      expect(old.stderr.split('\n').filter((l) => /older than/.test(l))).toEqual([expect.stringMatching(/refusing to move backwards.*--rollback-to/)]);
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).toBe(toplevels.clean!.node1);
      // Last good did not move: the newer commit is still up to date, not redeployed or skipped.
      expect((await lab.deploy(heads.clean!)).json).toMatchObject({ outcome: 'nothing-to-do' });

      const back = await lab.rollback(lab.base);
      expect(back.exitCode, back.stderr).toBe(0);
      expect(back.json).toMatchObject({ head: lab.base, outcome: 'deployed', commits: [{ rollback: true, approved: true }] });
      expect(target(back, 'host', 'node1')).toMatchObject({ result: 'verified', action: 'switch', to: lab.baseToplevels.node1 });
      expect(target(back, 'job', 'miniflux')).toMatchObject({ result: 'verified', action: 'register' });
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).toBe(lab.baseToplevels.node1);

      // From the rollback, the newer commit is forward again and is deployed for real.
      const forward = await lab.deploy(heads.clean!);
      expect(forward.exitCode, forward.stderr).toBe(0);
      expect(target(forward, 'host', 'node1')).toMatchObject({ result: 'verified', to: toplevels.clean!.node1 });
      // --rollback-to only goes back: it is no way around the gate for a newer commit.
      const ahead = await lab.rollback(heads.docs!);
      expect(ahead.exitCode, ahead.stderr).toBe(9);
      expect(ahead.json).toMatchObject({ outcome: 'refused', commits: [{ note: expect.stringMatching(/only goes back/) }] });
    }, 300_000);
  });

  describe('file names are bytes', () => {
    it('keeps running a job whose file was renamed to a name that is not UTF-8 (never stopped as "removed")', async () => {
      await lab.reset();
      await lab.repo.git.checkout(['-q', '--detach', lab.base]);
      const dir = lab.repo.dir;
      renameSync(path.join(dir, 'nomad/whoami.nomad'), Buffer.concat([Buffer.from(`${dir}/nomad/who`), Buffer.from([0xff]), Buffer.from('ami.nomad')]));
      await lab.repo.git.raw(['add', '-A']);
      await lab.repo.git.raw(['-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-q', '-m', 'whoami: a file name that is not UTF-8']);
      const renamed = (await lab.repo.git.revparse(['HEAD'])).trim();

      const run = await lab.deploy(renamed);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(target(run, 'job', 'whoami')).toBeUndefined();
      expect(lab.sim.control.requests.count({ method: 'DELETE', path: /^\/v1\/job\/whoami$/ })).toBe(0);
      expect(lab.sim.control.state.currentJob('whoami')).toMatchObject({ Stop: false });
    }, 300_000);
  });

  describe('failures', () => {
    it('rolls back a failed activation, records the commit as bad, never re-applies it, and deploys the commit that supersedes it', async () => {
      await lab.reset();
      injectFault(lab.host('node1'), 'switch.exit', '2');
      const failed = await lab.deploy(heads.clean!);
      expect(failed.exitCode).toBe(6);
      expect(target(failed, 'host', 'node1')).toMatchObject({ result: 'rolled-back' });
      expect(target(failed, 'job', 'miniflux')).toMatchObject({ result: 'skipped' });
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).toBe(lab.baseToplevels.node1);

      const again = await lab.deploy(heads.clean!);
      expect(again.exitCode).toBe(6);
      expect(again.json).toMatchObject({ outcome: 'bad-commit' });
      expect(appliedCount(lab.host('node1'), toplevels.clean!.node1!)).toBe(1);

      const newer = await lab.deploy(heads.docs!);
      expect(newer.exitCode, newer.stderr).toBe(0);
      expect(target(newer, 'host', 'node1')).toMatchObject({ result: 'verified' });
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).not.toBe(lab.baseToplevels.node1);
    });

    it('is rolled back by the host itself when the switch cut access (no confirmation over a new connection)', async () => {
      await lab.reset({ deploy: { confirmTimeoutSeconds: 1 } });
      injectFault(lab.host('node1'), 'cut-access');
      const run = await lab.deploy(heads.clean!);
      expect(run.exitCode).toBe(6);
      expect(String(target(run, 'host', 'node1')?.message)).toMatch(/(unreachable over a new connection after the switch|no confirmation in time \(guard (fired|rolled-back)\)); the host's rollback guard restored/);
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).toBe(lab.baseToplevels.node1);
    });

    it('reverts a failed Nomad deployment to the last stable version when the job does not revert itself', async () => {
      await lab.reset();
      lab.sim.control.failNextDeployment('whoami');
      const run = await lab.deploy(heads.whoami!);
      expect(run.exitCode).toBe(6);
      const whoami = target(run, 'job', 'whoami');
      expect(whoami).toMatchObject({ result: 'rolled-back' });
      expect(String(whoami?.message)).toMatch(/deployment failed: whoami\.whoami\[\d\] \(alloc [0-9a-f]{8} on client-\d\): running, unhealthy \(check ".*" critical: dial tcp: connection refused\)/);
      expect(String(whoami?.message)).toMatch(/Steward reverted it to version 0/);
      expect(lab.sim.control.requests.count({ method: 'POST', path: '/v1/job/whoami/revert' })).toBe(1);
      const current = lab.sim.control.state.currentJob('whoami')!;
      expect(JSON.stringify(current)).toContain('traefik/whoami:v1.10.3');
    });

    it('leaves a job that reverts itself (auto_revert) to Nomad, and waits for it', async () => {
      await lab.reset();
      lab.sim.control.failNextDeployment('miniflux');
      const run = await lab.deploy(heads.clean!, { args: [] });
      expect(run.exitCode).toBe(6);
      expect(target(run, 'host', 'node1')).toMatchObject({ result: 'verified' });
      expect(String(target(run, 'job', 'miniflux')?.message)).toMatch(/Nomad auto-reverted it to version \d \(successful\)/);
      expect(lab.sim.control.requests.count({ method: 'POST', path: /\/revert$/ })).toBe(0);
    });

    it('stops at pre-flight when the cluster lost its quorum: nothing is deployed', async () => {
      await lab.reset();
      lab.sim.control.loseQuorum();
      const run = await lab.deploy(heads.clean!);
      expect(run.exitCode).toBe(6);
      expect(run.json).toMatchObject({ outcome: 'preflight-failed' });
      expect(String((run.json?.commits as Array<{ note: string }>)[0]!.note)).toMatch(/nomad quorum: Nomad has no leader/);
      expect(switchLog(lab.host('node1')).filter((e) => e.action !== 'dry-activate')).toEqual([]);
      expect(lab.sim.control.requests.count({ method: 'POST', path: /^\/v1\/jobs$/ })).toBe(0);
    });
  });

  describe('the gate', () => {
    it('holds a change the host\'s own dry-activate makes risky (the host drifted: sshd would restart)', async () => {
      await lab.reset();
      installFixtureHost(lab.host('node1'), toplevels.drift!.node1!);
      const run = await lab.deploy(heads.clean!);
      expect(run.exitCode).toBe(5);
      expect(run.json).toMatchObject({ outcome: 'held', commits: [{ label: 'risky' }] });
      expect(JSON.stringify(run.json)).toMatch(/switch restarts sshd\.service on node1.*\(dry-activate on the host\)/);
      expect(switchLog(lab.host('node1')).map((e) => e.action)).toEqual(['dry-activate']);
    });
  });

  describe('locking', () => {
    it('never runs two deploys at once: the second gives up with exit 7, a later one finds nothing to do', async () => {
      await lab.reset();
      lab.warp(true);
      // The first holds the lock, frozen (SIGSTOP) until the second has given up: a state, not a
      // pause that a loaded machine could outlast. Its lock is fresh (lockStaleSeconds is 120).
      const first = lab.start(heads.clean!, { env: { STEWARD_TEST_STOP_AT: 'host.verified:node1' } });
      let stderr = '';
      first.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await expect.poll(() => stderr, { timeout: 180_000, interval: 50 }).toMatch(/test hook: stopping/);
      await expect.poll(() => processState(first.pid!), { timeout: 10_000, interval: 20 }).toBe('T');
      const second = await lab.deploy(heads.clean!);
      process.kill(first.pid!, 'SIGCONT');
      expect(second.exitCode).toBe(7);
      expect(second.stderr).toMatch(/another deploy holds the lock: steward deploy --head [0-9a-f]{40} \(pid \d+ on .*\); waited 1 s/);
      const done = await first;
      lab.warp(false);
      expect(done.exitCode, String(done.stderr)).toBe(0);
      const third = await lab.deploy(heads.clean!);
      expect(third.json).toMatchObject({ outcome: 'nothing-to-do' });
      expect(appliedCount(lab.host('node1'), toplevels.clean!.node1!)).toBe(1);
    });
  });

  describe('a global invariant that fails after the deploy', () => {
    it('reverts the hosts and jobs to last good, records the commit bad, exits 6, and a rerun does not find nothing to do', async () => {
      await lab.reset();
      // Holds while node1 runs what it ran before (pre-flight passes), breaks once it runs the commit.
      const node1 = lab.host('node1');
      const broken = `! readlink ${node1}/run/current-system | grep -qF ${toplevels.clean!.node1!}`;
      lab.configure({ invariants: [{ name: 'the old node1 answers', command: ['sh', '-c', broken], on: 'local' }] });
      const run = await lab.deploy(heads.clean!);
      expect(run.exitCode, run.stderr).toBe(6);
      expect(run.json).toMatchObject({ outcome: 'failed', commits: [{ failedPhase: 'invariants' }] });
      expect(target(run, 'host', 'node1')).toMatchObject({ result: 'rolled-back' });
      expect(String(target(run, 'host', 'node1')?.message)).toMatch(/invariant failed after the deploy \(invariant: the old node1 answers/);
      expect(target(run, 'job', 'miniflux')).toMatchObject({ result: 'rolled-back' });
      expect(readlinkIn(node1, 'run/current-system')).toBe(lab.baseToplevels.node1);
      expect(readlinkIn(node1, 'nix/var/nix/profiles/system')).toBe(lab.baseToplevels.node1);
      expect(lab.sim.control.state.currentJob('miniflux')).toMatchObject({ Version: 2 });
      expect(JSON.stringify(lab.sim.control.state.currentJob('miniflux'))).not.toMatch(/miniflux:2\.2\.1/);

      const history = await lab.cli(['history', '--state', lab.stateFile, '--json']);
      const entries = (history.json?.entries ?? []) as Array<Record<string, unknown>>;
      expect(entries.find((e) => e.target === 'node1')).toMatchObject({ result: 'rolled-back' });
      const at = await lab.cli(['history', '--state', lab.stateFile, '--at', 'now', '--target', 'node1', '--json']);
      expect(JSON.stringify(at.json)).not.toContain(heads.clean!);

      const rerun = await lab.deploy(heads.clean!);
      expect(rerun.exitCode).toBe(6);
      expect(rerun.json).toMatchObject({ outcome: 'bad-commit' });
      expect(appliedCount(node1, toplevels.clean!.node1!)).toBe(1);
    });
  });

  describe('a deploy paused past its heartbeat', () => {
    it('finds on waking that another deploy took the lock over and stops without touching anything (exit 7)', async () => {
      await lab.reset({ deploy: { lockStaleSeconds: 1, lockWaitSeconds: 30 } });
      lab.warp(true);
      const first = lab.start(heads.clean!, { env: { STEWARD_TEST_STOP_AT: 'host.intent:node1' } });
      let stderr = '';
      first.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const stopped = () => processState(first.pid!);
      await expect.poll(() => stderr, { timeout: 180_000, interval: 50 }).toMatch(/test hook: stopping/);
      await expect.poll(stopped, { timeout: 10_000, interval: 20 }).toBe('T');
      // Frozen at its intent for node1: its heartbeat goes stale and a second deploy takes over.
      const second = await lab.deploy(heads.clean!);
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/took over the lock of steward deploy/);
      expect(target(second, 'host', 'node1')).toMatchObject({ result: 'verified' });
      process.kill(first.pid!, 'SIGCONT');
      const done = await first;
      lab.warp(false);
      expect(done.exitCode, String(done.stderr)).toBe(7);
      expect(done.stderr).toMatch(/lost the deploy lock .*; stopping without touching hosts, jobs or records again/);
      // Applied once (by the second deploy), nothing rolled back or recorded by the first.
      expect(appliedCount(lab.host('node1'), toplevels.clean!.node1!)).toBe(1);
      expect(readlinkIn(lab.host('node1'), 'run/current-system')).toBe(toplevels.clean!.node1);
      expect(readlinkIn(lab.host('node1'), 'nix/var/nix/profiles/system')).toBe(toplevels.clean!.node1);
      expect(lab.sim.control.requests.count({ method: 'POST', path: /^\/v1\/jobs$/ })).toBe(1);
      const history = await lab.cli(['history', '--state', lab.stateFile, '--json']);
      const entries = (history.json?.entries ?? []) as Array<Record<string, unknown>>;
      expect(entries.filter((e) => e.result === 'failed' || e.result === 'rolled-back')).toEqual([]);
      const third = await lab.deploy(heads.clean!);
      expect(third.json).toMatchObject({ outcome: 'nothing-to-do' });
    });
  });

  describe('a change that needs a reboot', () => {
    it('activates for the next boot, then reboots one host at a time (never two quorum members at once) and verifies each', async () => {
      // Every host in one batch, and desk switches instead of boot: quorum members still go alone.
      await lab.reset({ hosts: { node1: { roles: ['consul-server', 'nomad-server'], batch: 1 }, node2: { roles: ['consul-server', 'nomad-server'], batch: 1 }, node3: { roles: ['consul-server', 'nomad-server'], batch: 1 }, nas: { roles: ['nfs-server'], batch: 1 }, desk: { roles: ['workstation'], batch: 1, needsReboot: 'switch' } } });
      const run = await lab.deploy(heads.mounts!);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.json).toMatchObject({ outcome: 'deployed', commits: [{ label: 'needs-reboot' }] });
      for (const host of ['node1', 'node2', 'node3']) expect(target(run, 'host', host)).toMatchObject({ action: 'boot', result: 'deployed', pendingReboot: true });
      expect(target(run, 'host', 'desk')).toMatchObject({ action: 'switch', result: 'deployed', pendingReboot: true });
      const rebooted = (run.json?.reboots ?? []) as Array<Record<string, unknown>>;
      expect(rebooted.map((r) => `${r.name}:${r.result}`).sort()).toEqual(['desk:verified', 'node1:verified', 'node2:verified', 'node3:verified']);
      const windows = ['desk', 'node1', 'node2', 'node3'].map((h) => {
        expect(reboots(lab.host(h)), h).toHaveLength(1);
        expect(readlinkIn(lab.host(h), 'run/booted-system')).toBe(toplevels.mounts![h]);
        return reboots(lab.host(h))[0]!;
      });
      for (const [i, a] of windows.entries()) for (const b of windows.slice(i + 1)) expect(a.up! < b.down || b.up! < a.down, 'reboots overlap').toBe(true);
      expect(reboots(lab.host('nas'))).toHaveLength(0);
    });
  });
});

/** A process's state letter from /proc (`T` when stopped by SIGSTOP), `?` when it is gone. */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return '?';
  }
}
