// The SSH transport against a real sshd on 127.0.0.1: closures copied with
// `nix copy --to ssh-ng://`, NixOS operations on a fixture host over SSH, every confirmation over a
// NEW connection, and a host that stops accepting logins after its switch rolled back by its guard.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSshTransport } from '../../src/adapters/host-ssh/ssh-transport.js';
import { NixosHost } from '../../src/adapters/nixos-host/nixos-host.js';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import { createHomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { emptyHostChange } from '../../src/model/host-change.js';
import { HostUnreachableError } from '../../src/ports/host.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { activateHost } from '../../src/stages/deploy/activate-host.js';
import { noHooks } from '../../src/stages/deploy/context.js';
import { buildToplevels, injectFault, installFixtureHost, killLeftoverGuards, readlinkIn } from '../helpers/fixture-hosts.js';
import { describeWithNix } from '../helpers/nix.js';
import { describeWithSshd, startSshd, type Sshd } from '../helpers/sshd.js';

describeWithNix('the SSH host transport', () => {
  describeWithSshd('against sshd on 127.0.0.1', () => {
    let dir: string;
    let sshd: Sshd;
    let base: string;
    let leaf: string;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'steward-ssh-'));
      sshd = await startSshd(path.join(dir, 'sshd'));
      const repo = await createHomelabRepo({ parent: dir });
      const baseSha = (await repo.git.revparse(['HEAD'])).trim();
      const leafSha = await repo.commit('leaf', HOST_SCENARIOS[0]!.edits);
      base = (await buildToplevels(repo.dir, baseSha, ['node1'])).node1!;
      leaf = (await buildToplevels(repo.dir, leafSha, ['node1'])).node1!;
    });
    afterAll(async () => {
      killLeftoverGuards(path.join(dir, 'hosts'));
      await sshd?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const hostAt = (root: string, port = sshd.port) => new NixosHost(createSshTransport({ host: 'node1', target: `ssh://root@127.0.0.1:${port}`, sshOptions: sshd.options, root }));

    it('copies the closure, reads the system and dry-activates over SSH', async () => {
      const root = path.join(dir, 'hosts', 'a');
      installFixtureHost(root, base);
      const host = hostAt(root);
      await host.copyClosure(leaf);
      expect(await host.readState()).toMatchObject({ current: base, booted: base, profile: base, bootDefault: base });
      const dry = await host.activate(leaf, 'dry-activate', { timeoutMs: 30_000 });
      expect(dry.exitCode).toBe(0);
      expect(dry.output).toContain('would start the following units: homepage.service');
    });

    it('switches and confirms over a new connection', async () => {
      const root = path.join(dir, 'hosts', 'b');
      installFixtureHost(root, base);
      const store = new SqliteDeployStore({ file: ':memory:' });
      const before = sshd.logins();
      const outcome = await activateHost(context(store), { target: target(leaf), system: hostAt(root), sha: 'b'.repeat(40), previous: base, baselineFailed: [], invariants: async () => [] });
      expect(outcome.record).toMatchObject({ result: 'verified' });
      expect(readlinkIn(root, 'run/current-system')).toBe(leaf);
      // arm, profile, switch, confirm, then the checks: every step a login of its own.
      expect(sshd.logins() - before).toBeGreaterThanOrEqual(5);
    });

    it('is rolled back by its guard when it stops accepting logins after the switch', async () => {
      const root = path.join(dir, 'hosts', 'c');
      installFixtureHost(root, base);
      injectFault(root, 'cut-access');
      const store = new SqliteDeployStore({ file: ':memory:' });
      const outcome = await activateHost(context(store, 1), { target: target(leaf), system: hostAt(root), sha: 'b'.repeat(40), previous: base, baselineFailed: [], invariants: async () => [] });
      expect(outcome.record.result).toBe('rolled-back');
      expect(outcome.record.message).toMatch(/(unreachable over a new connection after the switch|no confirmation in time \(guard (fired|rolled-back)\)); the host's rollback guard restored/);
      expect(readlinkIn(root, 'run/current-system')).toBe(base);
    });

    it('says unreachable when nothing listens', async () => {
      const root = path.join(dir, 'hosts', 'd');
      installFixtureHost(root, base);
      await expect(hostAt(root, 1).readState()).rejects.toBeInstanceOf(HostUnreachableError);
    });
  });
});

function context(store: SqliteDeployStore, confirmSeconds = 5) {
  return {
    store,
    runId: store.startRun({ head: 'b'.repeat(40), dryRun: false }),
    hooks: noHooks,
    logger: silentLogger,
    redactor: new Redactor(),
    settings: { confirmSeconds, activationSeconds: 30, rebootTimeoutMs: 10_000, quorumTimeoutMs: 1000, jobDeadlineMs: 10_000, blockingWaitMs: 1000, pollMs: 200 },
    now: () => new Date(),
  };
}

function target(toplevel: string) {
  return { host: 'node1', roles: [], quorum: false, batch: null, base: 'a'.repeat(40), toplevel, label: 'clean' as const, change: emptyHostChange('node1', [], 'changed'), activation: 'switch' as const, reboot: 'auto' as const };
}
