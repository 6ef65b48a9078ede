// One host's activation on a fixture host with real toplevels of the example homelab (real Nix):
// switch + confirmation over a new connection, every failing exit code rolled back by explicit
// store path, an unreachable host rolled back by its own guard, a hung switch stopped, and a
// boot activation verified after a reboot.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createLocalTransport } from '../../src/adapters/host-local/local-transport.js';
import { NixosHost } from '../../src/adapters/nixos-host/nixos-host.js';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { emptyHostChange } from '../../src/model/host-change.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { activateHost } from '../../src/stages/deploy/activate-host.js';
import { noHooks, type DeployContext } from '../../src/stages/deploy/context.js';
import type { HostTarget } from '../../src/stages/deploy/plan-targets.js';
import { rebootPending } from '../../src/stages/deploy/reboot-hosts.js';
import { appliedCount, buildToplevels, injectFault, installFixtureHost, killLeftoverGuards, readlinkIn, reboots } from '../helpers/fixture-hosts.js';
import { describeWithNix } from '../helpers/nix.js';

describeWithNix('host activation on a fixture host', () => {
  let repo: HomelabRepo;
  let dir: string;
  let root: string;
  let base: Record<string, string>;
  let leaf: string;
  let kernel: string;
  let store: SqliteDeployStore;
  const scenario = (id: string) => HOST_SCENARIOS.find((s) => s.id === id)!;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'steward-activation-'));
    repo = await createHomelabRepo({ parent: dir });
    const baseSha = (await repo.git.revparse(['HEAD'])).trim();
    const leafSha = await repo.commit('leaf', scenario('leaf-service').edits);
    await repo.git.checkout(['-q', '--detach', baseSha]);
    const kernelSha = await repo.commit('kernel', scenario('kernel-bump').edits);
    base = await buildToplevels(repo.dir, baseSha, ['node1', 'nas']);
    leaf = (await buildToplevels(repo.dir, leafSha, ['node1'])).node1!;
    kernel = (await buildToplevels(repo.dir, kernelSha, ['nas'])).nas!;
  });
  afterAll(async () => {
    killLeftoverGuards(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  let counter = 0;
  beforeEach(() => {
    counter++;
    root = path.join(dir, `hosts-${counter}`, 'node1');
    store = new SqliteDeployStore({ file: ':memory:' });
  });

  const ctx = (confirmSeconds = 2, activationSeconds = 20): DeployContext => ({
    store,
    runId: store.startRun({ head: 'a'.repeat(40), dryRun: false }),
    hooks: noHooks,
    logger: silentLogger,
    redactor: new Redactor(),
    settings: { confirmSeconds, activationSeconds, rebootTimeoutMs: 10_000, quorumTimeoutMs: 1000, jobDeadlineMs: 10_000, blockingWaitMs: 1000, pollMs: 100 },
    now: () => new Date(),
  });
  const target = (host: string, toplevel: string, activation: 'switch' | 'boot' = 'switch'): HostTarget => ({
    host,
    roles: [],
    quorum: false,
    batch: null,
    base: 'a'.repeat(40),
    toplevel,
    label: activation === 'boot' ? 'needs-reboot' : 'clean',
    change: emptyHostChange(host, [], 'changed'),
    activation,
    reboot: 'auto',
  });
  const activate = async (hostRoot: string, host: string, from: string, to: string, c = ctx(), activation: 'switch' | 'boot' = 'switch') => {
    const system = new NixosHost(createLocalTransport({ host, root: hostRoot }));
    return activateHost(c, { target: target(host, to, activation), system, sha: 'b'.repeat(40), previous: from, baselineFailed: [], invariants: async () => [] });
  };

  it('switches, confirms over a new connection and verifies', async () => {
    installFixtureHost(root, base.node1!);
    const outcome = await activate(root, 'node1', base.node1!, leaf);
    expect(outcome.record).toMatchObject({ result: 'verified', action: 'switch', from: base.node1, to: leaf });
    expect(readlinkIn(root, 'run/current-system')).toBe(leaf);
    expect(readlinkIn(root, 'nix/var/nix/profiles/system')).toBe(leaf);
    expect(appliedCount(root, leaf)).toBe(1);
    expect(store.incompleteActions()).toEqual([]);
    expect(store.history({}).map((e) => e.result)).toEqual(['verified']);
  });

  for (const [code, fault, expected] of [
    [1, 'switch.exit', /exit 1: a pre-switch check or the bootloader failed/],
    [2, 'switch.exit', /exit 2: the activation script failed/],
    [4, 'failed-units', /exit 4: units failed: grafana-agent\.service/],
  ] as const) {
    it(`rolls back to the previous generation by explicit store path when switch exits ${code}`, async () => {
      installFixtureHost(root, base.node1!);
      injectFault(root, fault, fault === 'failed-units' ? 'grafana-agent.service\n' : String(code));
      const outcome = await activate(root, 'node1', base.node1!, leaf);
      expect(outcome).toMatchObject({ failed: true, bad: true, record: { result: 'rolled-back' } });
      expect(outcome.record.message).toMatch(expected);
      expect(outcome.record.message).toContain(`rolled back: switch to ${base.node1!.slice(11, 19)}`);
      expect(readlinkIn(root, 'run/current-system')).toBe(base.node1);
      expect(readlinkIn(root, 'nix/var/nix/profiles/system')).toBe(base.node1);
      expect(readlinkIn(root, 'boot/default-system')).toBe(base.node1);
    });
  }

  it('is rolled back by the guard armed on the host when it is unreachable after the switch', async () => {
    installFixtureHost(root, base.node1!);
    injectFault(root, 'cut-access');
    const outcome = await activate(root, 'node1', base.node1!, leaf, ctx(1));
    expect(outcome.record.result).toBe('rolled-back');
    expect(outcome.record.message).toMatch(/(unreachable over a new connection after the switch|no confirmation in time \(guard (fired|rolled-back)\)); the host's rollback guard restored/);
    expect(readlinkIn(root, 'run/current-system')).toBe(base.node1);
    // The guard, not Steward, ran the previous generation's switch (Steward could not connect):
    // the message says so; no wall-clock bound, which a loaded machine would break.
  });

  it('stops a hung switch at its timeout and rolls back', async () => {
    installFixtureHost(root, base.node1!);
    injectFault(root, 'switch.hang');
    const outcome = await activate(root, 'node1', base.node1!, leaf, ctx(2, 1));
    expect(outcome.record.result).toBe('rolled-back');
    expect(outcome.record.message).toMatch(/did not finish within 1 s and was stopped/);
    expect(readlinkIn(root, 'run/current-system')).toBe(base.node1);
  });

  it('activates a new kernel for the next boot, then reboots and verifies the booted kernel', async () => {
    const nas = path.join(dir, `hosts-${counter}`, 'nas');
    installFixtureHost(nas, base.nas!);
    const c = ctx();
    const outcome = await activate(nas, 'nas', base.nas!, kernel, c, 'boot');
    expect(outcome.record).toMatchObject({ result: 'deployed', action: 'boot', pendingReboot: true });
    expect(readlinkIn(nas, 'run/current-system')).toBe(base.nas);
    expect(readlinkIn(nas, 'boot/default-system')).toBe(kernel);
    store.setPendingReboot({ host: 'nas', toplevel: kernel, previous: base.nas!, sha: 'b'.repeat(40) });
    const system = new NixosHost(createLocalTransport({ host: 'nas', root: nas }));
    const result = await rebootPending({ ctx: c, cluster: {}, hostFor: () => system, rolesOf: () => ['nfs-server'], policyOf: () => 'auto', windowOpen: true, windowText: 'any time' }, store.pendingReboots());
    expect(result.records[0]).toMatchObject({ result: 'verified', action: 'reboot' });
    expect(result.records[0]!.verification.find((v) => v.name === 'booted kernel')).toMatchObject({ ok: true });
    expect(readlinkIn(nas, 'run/booted-system')).toBe(kernel);
    expect(reboots(nas)).toHaveLength(1);
    expect(store.pendingReboots()).toEqual([]);
  });

  it('waits for the window and leaves manual hosts to a human', async () => {
    const c = ctx();
    store.setPendingReboot({ host: 'nas', toplevel: kernel, previous: base.nas!, sha: 'b'.repeat(40) });
    const nas = path.join(dir, `hosts-${counter}`, 'nas');
    installFixtureHost(nas, base.nas!);
    const system = new NixosHost(createLocalTransport({ host: 'nas', root: nas }));
    const closed = await rebootPending({ ctx: c, cluster: {}, hostFor: () => system, rolesOf: () => [], policyOf: () => 'auto', windowOpen: false, windowText: 'daily 02:00-05:00 (UTC)' }, store.pendingReboots());
    expect(closed.records[0]).toMatchObject({ result: 'deployed', pendingReboot: true, message: 'reboot pending: outside the reboot window (daily 02:00-05:00 (UTC))' });
    const manual = await rebootPending({ ctx: c, cluster: {}, hostFor: () => system, rolesOf: () => [], policyOf: () => 'manual', windowOpen: true, windowText: '' }, store.pendingReboots());
    expect(manual.records[0]!.message).toMatch(/reboots are manual/);
    expect(reboots(nas)).toHaveLength(0);
  });
});
