// The rollout's failure point with the diagnosis, on in-memory fake hosts: a mount that refuses a
// live remount ends booted and rebooted into the new generation (then the stopped hosts roll
// out); a dependency that came up late is retried once after the wait; outside the window, or
// after lost access, the rollback stands and the failure escalates.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptySwitchPlan } from '../adapters/nixos-host/parse-switch-output.js';
import { SqliteDeployStore } from '../adapters/store-sqlite/sqlite-store.js';
import { SqliteDiagnosisStore } from '../adapters/store-sqlite/diagnosis-store.js';
import { StewardConfig } from '../config/schema.js';
import { HostUnreachableError, type HostSystem } from '../ports/host.js';
import { silentLogger } from '../ports/logger.js';
import { Redactor } from '../redact.js';
import { noHooks, type DeployContext } from '../stages/deploy/context.js';
import { rolloutHosts, type PreparedHost } from '../stages/deploy/rollout-hosts.js';
import { loadFailureKnowledge } from './diagnose-knowledge.js';
import { recoverRollout } from './diagnose-rollout.js';

const SHA = '2'.repeat(40);
const GOALS = path.join(import.meta.dirname, '../../goals');
const gen = (host: string, which: 'old' | 'new') => `/nix/store/${(which === 'old' ? 'a' : 'b').repeat(32)}-nixos-system-${host}-${which}`;

interface Faults {
  switchExit?: number;
  failedUnits?: string[];
  cutAccess?: boolean;
}

function fakeHost(name: string, faults: Faults = {}): HostSystem {
  let current = gen(name, 'old');
  let booted = current;
  let profile = current;
  let bootDefault = current;
  let bootId = 0;
  let cut = false;
  const reach = () => {
    if (cut) throw new HostUnreachableError(name, 'connection refused');
  };
  return {
    name,
    describe: `fake ${name}`,
    copyClosure: async () => {},
    readState: async () => (reach(), { current, booted, profile, bootDefault, bootId: `boot-${bootId}` }),
    setProfile: async (p) => void (reach(), (profile = p)),
    activate: async (toplevel, action) => {
      reach();
      const ok = { action, exitCode: 0, timedOut: false, output: '', plan: emptySwitchPlan(), durationMs: 1 };
      if (action === 'boot') return (bootDefault = toplevel), ok;
      current = toplevel;
      bootDefault = toplevel;
      if (toplevel === gen(name, 'new') && faults.switchExit) {
        const code = faults.switchExit;
        const failed = faults.failedUnits ?? [];
        delete faults.switchExit; // one-shot, like the fixture's faults
        return { ...ok, exitCode: code, output: `warning: the following units failed: ${failed.join(', ')}\n`, plan: { ...emptySwitchPlan(), failed } };
      }
      if (toplevel === gen(name, 'new') && faults.cutAccess) cut = true;
      return ok;
    },
    armGuard: async () => reach(),
    confirmGuard: async () => (reach(), 'confirmed'),
    disarmGuard: async () => 'disarmed',
    // The fake's guard rolls the host back at once when access was cut.
    guardState: async () => {
      if (cut) {
        cut = false;
        current = gen(name, 'old');
        profile = current;
        bootDefault = current;
      }
      return 'rolled-back';
    },
    failedUnits: async () => [],
    liveMounts: async () => null,
    readFile: async () => null,
    resolve: async (p) => (p.endsWith('/kernel') ? `${p}-image` : null),
    reboot: async () => {
      booted = bootDefault;
      current = bootDefault;
      bootId += 1;
    },
    run: async () => ({ exitCode: 0, output: '', timedOut: false }),
  };
}

async function scenario(faults: Faults, journal: string[], config: unknown = {}, alter: (rollout: Awaited<ReturnType<typeof rolloutHosts>>) => void = () => {}) {
  const store = new SqliteDeployStore({ file: ':memory:' });
  const ctx: DeployContext = { store, runId: store.startRun({ head: SHA, dryRun: false }), hooks: noHooks, logger: silentLogger, redactor: new Redactor(), settings: { confirmSeconds: 5, activationSeconds: 30, rebootTimeoutMs: 5_000, quorumTimeoutMs: 1000, jobDeadlineMs: 1000, blockingWaitMs: 100, pollMs: 5 }, now: () => new Date('2026-03-04T03:00:00Z') };
  const systems = { nas: fakeHost('nas', faults), node2: fakeHost('node2') };
  const hosts = (['nas', 'node2'] as const).map((host) => ({ host, roles: [], quorum: false, batch: null, base: SHA, toplevel: gen(host, 'new'), label: 'clean', activation: 'switch', reboot: 'auto' })) as unknown as Parameters<typeof rolloutHosts>[1]['hosts'];
  const prepared = new Map<string, PreparedHost>(hosts.map((h) => [h.host, { system: systems[h.host as 'nas' | 'node2'], previous: gen(h.host, 'old'), baselineFailed: [] }]));
  const input = { sha: SHA, hosts, prepared };
  const rollout = await rolloutHosts({ ctx, cluster: {}, invariantsOn: async () => [] }, input);
  alter(rollout);
  const diagnoses = new SqliteDiagnosisStore({ file: ':memory:' });
  const waits: number[] = [];
  const recovered = await recoverRollout(
    {
      ctx,
      diagnose: { store: diagnoses, knowledge: await loadFailureKnowledge({ goalsDir: GOALS, mainBranch: 'main' }), logger: silentLogger, redactor: ctx.redactor },
      config: StewardConfig.parse(config),
      cluster: {},
      hostFor: (h) => systems[h as 'nas' | 'node2'] ?? null,
      invariantsOn: async () => [],
      journalFor: async (_host, unit) => (faults.failedUnits?.includes(unit) ? journal : []),
      wait: async (ms) => void waits.push(ms),
    },
    { ...input, label: 'clean' },
    rollout,
  );
  return { rollout, recovered, waits, systems, diagnoses };
}

describe('recoverRollout', () => {
  it('boots and reboots a host whose NFS mount refused a live remount, then rolls out the hosts it had stopped', async () => {
    const { rollout, recovered, systems } = await scenario({ switchExit: 4, failedUnits: ['mnt-media.mount'] }, ['Mar 04 03:00:01 nas mount[4121]: mount.nfs: /mnt/media is busy or already mounted']);
    expect(rollout.failed).toBe(true);
    expect(recovered.decisions).toMatchObject([{ signature: 'mount.remount-refused', strategy: 'boot-and-reboot', outcome: 'verified' }]);
    expect(recovered.result.failed).toBe(false);
    expect(recovered.result.records.map((r) => [r.name, r.action, r.result])).toEqual([
      ['nas', 'boot', 'deployed'],
      ['nas', 'reboot', 'verified'],
      ['node2', 'switch', 'verified'],
    ]);
    expect((await systems.nas.readState()).booted).toBe(gen('nas', 'new'));
  });

  it('retries a unit whose dependency came up late once, after the wait', async () => {
    const { recovered, waits } = await scenario({ switchExit: 4, failedUnits: ['immich.service'] }, ['immich[311]: Error: connect ECONNREFUSED 10.0.0.20:5432']);
    expect(recovered.decisions).toMatchObject([{ signature: 'unit.dependency-not-ready', strategy: 'retry-after-wait', outcome: 'verified' }]);
    expect(waits).toEqual([60_000]);
    expect(recovered.result.failed).toBe(false);
  });

  it('a second host that failed in the same batch still fails the commit after the first is fixed', async () => {
    const { recovered } = await scenario({ switchExit: 4, failedUnits: ['immich.service'] }, ['immich[311]: Error: connect ECONNREFUSED 10.0.0.20:5432'], {}, (rollout) => {
      // As a parallel batch would leave it: another host failed too and was rolled back.
      const record = { ...rollout.records[0]!, name: 'node3', result: 'rolled-back' as const, message: 'node3 failed' };
      rollout.outcomes.push({ record, failed: true, bad: true, pendingReboot: false });
    });
    expect(recovered.decisions).toMatchObject([{ strategy: 'retry-after-wait', outcome: 'verified' }]);
    expect(recovered.result).toMatchObject({ failed: true, bad: true });
  });

  it('escalates outside the reboot window: the rollback stands, the stopped hosts stay untouched', async () => {
    const { recovered, systems } = await scenario({ switchExit: 4, failedUnits: ['mnt-media.mount'] }, ['umount: /mnt/media: target is busy.'], { deploy: { reboot: { windows: [{ start: '22:00', end: '23:00' }] } } });
    expect(recovered.decisions).toMatchObject([{ strategy: 'rollback-and-escalate', proposed: 'boot-and-reboot', outcome: 'escalated', refused: expect.stringContaining('outside the reboot window') }]);
    expect(recovered.result.failed).toBe(true);
    expect((await systems.node2.readState()).current).toBe(gen('node2', 'old'));
  });

  it('escalates a change that cut access to the host, and an unexplained failure', async () => {
    expect((await scenario({ cutAccess: true }, [])).recovered.decisions).toMatchObject([{ signature: 'host.lost-access', strategy: 'rollback-and-escalate', outcome: 'escalated' }]);
    expect((await scenario({ switchExit: 4, failedUnits: ['frigate.service'] }, ['frigate[77]: segmentation fault'])).recovered.decisions).toMatchObject([{ signature: 'switch.units-failed', chosenBy: 'no-knowledge', strategy: 'rollback-and-escalate' }]);
  });
});
