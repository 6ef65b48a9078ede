// activateHost hands the diagnosis what failed: the switch's exit code, output and failed units,
// a confirmation that never came, or the checks after the switch (on an in-memory fake host).
import { describe, expect, it } from 'vitest';
import { SqliteDeployStore } from '../../adapters/store-sqlite/sqlite-store.js';
import { emptySwitchPlan } from '../../adapters/nixos-host/parse-switch-output.js';
import { HostUnreachableError, type HostSystem } from '../../ports/host.js';
import { silentLogger } from '../../ports/logger.js';
import { Redactor } from '../../redact.js';
import { activateHost } from './activate-host.js';
import { noHooks, type DeployContext } from './context.js';

const OLD = '/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-nixos-system-nas-old';
const NEW = '/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-nixos-system-nas-new';

function fakeHost(over: { exitCode?: number; output?: string; failed?: string[]; confirm?: 'confirmed' | 'unreachable'; failedAfter?: string[]; unreachable?: boolean } = {}): HostSystem {
  let current = OLD;
  let profile = OLD;
  const state = () => ({ current, booted: OLD, profile, bootDefault: profile, bootId: 'b0' });
  return {
    name: 'nas',
    describe: 'fake nas',
    copyClosure: async () => {},
    readState: async () => state(),
    setProfile: async (p) => void (profile = p),
    activate: async (toplevel, action) => {
      if (toplevel === NEW) current = NEW;
      else current = toplevel;
      const failing = toplevel === NEW ? (over.failed ?? []) : [];
      return { action, exitCode: toplevel === NEW ? (over.exitCode ?? 0) : 0, timedOut: false, output: toplevel === NEW ? (over.output ?? '') : '', plan: { ...emptySwitchPlan(), failed: failing }, durationMs: 1 };
    },
    armGuard: async () => {
      if (over.unreachable) throw new HostUnreachableError('nas', 'ssh: connect to host nas port 22: No route to host');
    },
    confirmGuard: async () => {
      if (over.confirm === 'unreachable') throw new HostUnreachableError('nas', 'connection refused');
      return 'confirmed';
    },
    disarmGuard: async () => 'disarmed',
    guardState: async () => 'unknown',
    failedUnits: async () => (current === NEW ? (over.failedAfter ?? []) : []),
    liveMounts: async () => null,
    readFile: async () => null,
    resolve: async () => null,
    reboot: async () => {},
    run: async () => ({ exitCode: 0, output: '', timedOut: false }),
  };
}

const ctx = (): DeployContext => {
  const store = new SqliteDeployStore({ file: ':memory:' });
  return { store, runId: store.startRun({ head: 'f'.repeat(40), dryRun: false }), hooks: noHooks, logger: silentLogger, redactor: new Redactor(), settings: { confirmSeconds: 5, activationSeconds: 30, rebootTimeoutMs: 1000, quorumTimeoutMs: 1000, jobDeadlineMs: 1000, blockingWaitMs: 100, pollMs: 10 }, now: () => new Date() };
};
const target = { host: 'nas', roles: [], quorum: false, batch: null, base: 'a'.repeat(40), toplevel: NEW, label: 'clean', activation: 'switch', reboot: 'auto' } as unknown as Parameters<typeof activateHost>[1]['target'];
const run = (system: HostSystem) => activateHost(ctx(), { target, system, sha: 'f'.repeat(40), previous: OLD, baselineFailed: [], invariants: async () => [] });

describe('activateHost: the failure it hands to the diagnosis', () => {
  it('carries the exit code, the output and the failed units of a failed switch', async () => {
    const outcome = await run(fakeHost({ exitCode: 4, output: 'warning: the following units failed: mnt-media.mount\n', failed: ['mnt-media.mount'] }));
    expect(outcome.failed).toBe(true);
    expect(outcome.failure).toEqual({ step: 'activation', host: 'nas', action: 'switch', exitCode: 4, timedOut: false, output: 'warning: the following units failed: mnt-media.mount\n', failedUnits: [{ unit: 'mnt-media.mount', journal: [] }] });
  });

  it('says a host that could not be reached before anything ran, and one lost after the switch', async () => {
    expect((await run(fakeHost({ unreachable: true }))).failure).toMatchObject({ step: 'connection', host: 'nas', detail: expect.stringContaining('No route to host') });
    expect((await run(fakeHost({ confirm: 'unreachable' }))).failure).toMatchObject({ step: 'confirmation', host: 'nas' });
  });

  it('carries the checks and the newly failed units when verification fails', async () => {
    const outcome = await run(fakeHost({ failedAfter: ['grafana.service'] }));
    expect(outcome.failure).toMatchObject({ step: 'verification', host: 'nas', failedUnits: [{ unit: 'grafana.service', journal: [] }], checks: expect.arrayContaining([expect.objectContaining({ name: 'failed units', ok: false })]) });
  });

  it('carries nothing when the host verified', async () => {
    const outcome = await run(fakeHost());
    expect(outcome).toMatchObject({ failed: false });
    expect(outcome.failure).toBeUndefined();
  });
});
