// The rollback guard runs on monotonic time: a forward step of the host's wall clock (an NTP jump)
// in the middle of a switch must not fire it. Real Nix and a fixture host; the host's `date` is a
// shim that answers a year ahead once the test steps it, and the switch is held open at a known
// state (the fixture's `switch.wait` fault) while the guard's timer runs out and the guard polls.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLocalTransport } from '../../src/adapters/host-local/local-transport.js';
import { NixosHost } from '../../src/adapters/nixos-host/nixos-host.js';
import { SqliteDeployStore } from '../../src/adapters/store-sqlite/sqlite-store.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { emptyHostChange } from '../../src/model/host-change.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';
import { activateHost } from '../../src/stages/deploy/activate-host.js';
import { noHooks } from '../../src/stages/deploy/context.js';
import { buildToplevels, injectFault, installFixtureHost, killLeftoverGuards, readlinkIn } from '../helpers/fixture-hosts.js';
import { describeWithNix } from '../helpers/nix.js';

/** Polls a condition (a state on disk or in /proc), never a fixed sleep. */
async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Pids of the children of `pid` whose command is `sleep` (the guard's poll loop). */
function sleepingChildren(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && stat.includes('(sleep)')) out.push(Number(entry));
    } catch {
      // Gone already.
    }
  }
  return out;
}

/** True once the guard's timer ran out and the guard script itself runs (the timer execs it). */
function guardRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((a) => a.endsWith('.sh'));
  } catch {
    return false;
  }
}

describeWithNix('rollback guard and a wall-clock step', () => {
  let repo: HomelabRepo;
  let dir: string;
  let base: string;
  let leaf: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'steward-guard-clock-'));
    repo = await createHomelabRepo({ parent: dir });
    const baseSha = (await repo.git.revparse(['HEAD'])).trim();
    const leafSha = await repo.commit('leaf', HOST_SCENARIOS.find((s) => s.id === 'leaf-service')!.edits);
    base = (await buildToplevels(repo.dir, baseSha, ['node1'])).node1!;
    leaf = (await buildToplevels(repo.dir, leafSha, ['node1'])).node1!;
  });
  afterAll(() => {
    killLeftoverGuards(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not fire mid-switch when the clock jumps a year ahead; profile and running system agree', async () => {
    const root = path.join(dir, 'hosts', 'node1');
    installFixtureHost(root, base);
    // `date` a year ahead once `jumped` exists: what an NTP step does to the wall clock.
    const shim = path.join(dir, 'shim');
    mkdirSync(shim, { recursive: true });
    const jumped = path.join(dir, 'jumped');
    writeFileSync(
      path.join(shim, 'date'),
      `#!/bin/sh\nif [ -e '${jumped}' ]; then exec /bin/date -d "@$(( $(/bin/date +%s) + 31536000 ))" "$@"; fi\nexec /bin/date "$@"\n`,
    );
    chmodSync(path.join(shim, 'date'), 0o755);
    const env = { ...process.env, PATH: `${shim}:${process.env.PATH}` };
    const system = new NixosHost(createLocalTransport({ host: 'node1', root, env }));
    injectFault(root, 'switch.wait');

    const store = new SqliteDeployStore({ file: ':memory:' });
    const ctx = {
      store,
      runId: store.startRun({ head: 'a'.repeat(40), dryRun: false }),
      hooks: noHooks,
      logger: silentLogger,
      redactor: new Redactor(),
      // The guard's timer runs out while the switch is held; after the release Steward has these
      // 10 s to confirm over a new connection (1 s was too short on a loaded machine).
      settings: { confirmSeconds: 10, activationSeconds: 120, rebootTimeoutMs: 10_000, quorumTimeoutMs: 1000, jobDeadlineMs: 10_000, blockingWaitMs: 1000, pollMs: 100 },
      now: () => new Date(),
    };
    const target = { host: 'node1', roles: [], quorum: false, batch: null, base: 'a'.repeat(40), toplevel: leaf, label: 'clean' as const, change: emptyHostChange('node1', [], 'changed'), activation: 'switch' as const, reboot: 'auto' as const };
    const activation = activateHost(ctx, { target, system, sha: 'b'.repeat(40), previous: base, baselineFailed: [], invariants: async () => [] });

    // The switch is running (and held), the guard's timer has run out and the guard polls while
    // the switch runs: now step the clock.
    const guards = path.join(root, 'var/lib/steward/guards');
    const marker = (suffix: string) => (existsSync(guards) ? readdirSync(guards).find((f) => f.endsWith(suffix)) : undefined);
    await until('the switch to start', () => marker('.switching') !== undefined);
    const pid = Number(readFileSync(path.join(guards, marker('.pid')!), 'utf8').trim());
    await until('the guard to run and poll', () => guardRunning(pid) && sleepingChildren(pid).length > 0);
    const before = new Set(sleepingChildren(pid));
    writeFileSync(jumped, '');
    // One more poll under the stepped clock (a new sleep), or the guard fired: the old, wall-clock
    // guard saw its deadline pass and rolled back in the middle of the switch.
    await until('the guard to poll again, or fire', () => sleepingChildren(pid).some((p) => !before.has(p)) || marker('.fired') !== undefined || marker('.rolled-back') !== undefined);
    expect(marker('.fired') ?? marker('.rolled-back')).toBeUndefined();
    writeFileSync(path.join(root, 'etc/fixture/release'), '');

    const outcome = await activation;
    expect(outcome.record).toMatchObject({ result: 'verified', action: 'switch', to: leaf });
    expect(readlinkIn(root, 'run/current-system')).toBe(leaf);
    expect(readlinkIn(root, 'nix/var/nix/profiles/system')).toBe(readlinkIn(root, 'run/current-system'));
    expect(marker('.rolled-back')).toBeUndefined();
  });
});
