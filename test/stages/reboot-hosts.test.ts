import { describe, expect, it } from 'vitest';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import type { HostSystem } from '../../src/ports/host.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { stateAt } from '../../src/stages/record/history.js';
import { noHooks, type DeployContext } from '../../src/stages/deploy/context.js';
import { rebootPending } from '../../src/stages/deploy/reboot-hosts.js';

const OLD = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-nixos-system-nas';
const NEW = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-nixos-system-nas';
const SHA = 'b'.repeat(40);

/** A host a human already rebooted into the new generation: it runs and booted NEW. */
function rebootedHost(): HostSystem {
  const unused = () => Promise.reject(new Error('not expected in this test'));
  return {
    name: 'nas',
    describe: 'fake nas',
    readState: async () => ({ current: NEW, booted: NEW, profile: NEW, bootDefault: NEW, bootId: 'boot-2' }),
    resolve: async (p) => p.replace(/^(\/nix\/store\/[^/]+)\/kernel$/, `${NEW}/kernel`),
    failedUnits: async () => [],
    liveMounts: async () => null,
    readFile: async () => null,
    copyClosure: unused,
    setProfile: unused,
    activate: unused,
    armGuard: unused,
    confirmGuard: unused,
    disarmGuard: unused,
    guardState: unused,
    reboot: unused,
    run: unused,
  };
}

describe('rebootPending', () => {
  it('journals a reboot done outside Steward, so history shows the host verified, not waiting', async () => {
    const store = new SqliteDeployStore({ file: ':memory:' });
    const runId = store.startRun({ head: SHA, dryRun: false });
    const ctx: DeployContext = {
      store,
      runId,
      hooks: noHooks,
      logger: silentLogger,
      redactor: new Redactor(),
      settings: { confirmSeconds: 1, activationSeconds: 1, rebootTimeoutMs: 1000, quorumTimeoutMs: 1000, jobDeadlineMs: 1000, blockingWaitMs: 1000, pollMs: 10 },
      now: () => new Date(),
    };
    // The earlier deploy: activated for the next boot, waiting for a reboot.
    const boot = store.beginAction({ runId, kind: 'host', target: 'nas', sha: SHA, action: 'boot', from: OLD, to: NEW, detail: {} });
    store.finishAction(boot, { kind: 'host', name: 'nas', result: 'deployed', action: 'boot', from: OLD, to: NEW, message: 'waits for a reboot', pendingReboot: true, verification: [], durationMs: 1 });
    store.setPendingReboot({ host: 'nas', toplevel: NEW, previous: OLD, sha: SHA });
    expect(stateAt(store.history({}))).toMatchObject([{ target: 'nas', result: 'deployed' }]);

    const result = await rebootPending({ ctx, cluster: {}, hostFor: () => rebootedHost(), rolesOf: () => [], policyOf: () => 'manual', windowOpen: false, windowText: '' }, store.pendingReboots());

    expect(result.records).toMatchObject([{ result: 'verified', action: 'reboot', message: expect.stringContaining('rebooted outside Steward') }]);
    expect(store.pendingReboots()).toEqual([]);
    expect(stateAt(store.history({}))).toMatchObject([{ target: 'nas', sha: SHA, result: 'verified' }]);
    store.close();
  });
});
