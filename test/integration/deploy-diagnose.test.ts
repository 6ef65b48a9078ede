// `steward deploy` end to end with the diagnosis (issue 14): real fixture hosts, real Nix, the
// real CLI. Each fault ends in the expected strategy and a verified state, or in the rollback and
// an escalation; never in a second retry.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { appliedCount, buildToplevels, injectFault, readlinkIn, reboots } from '../helpers/fixture-hosts.js';
import { createLab, target, type Lab } from '../helpers/deploy-lab.js';
import { describeWithNix } from '../helpers/nix.js';

/** A unit's journal on a fixture host (what HostDiagnostics reads there). */
function journal(root: string, unit: string, lines: string[]): void {
  mkdirSync(path.join(root, 'var/log/journal'), { recursive: true });
  writeFileSync(path.join(root, 'var/log/journal', `${unit}.log`), `${lines.join('\n')}\n`);
}

type Diagnosis = { signature: string; strategy: string; proposed: string; outcome: string; chosenBy: string; failure: { evidence: Array<{ detail?: string }> } };
const diagnoses = (run: { json: Record<string, unknown> | null }) => ((run.json?.commits ?? []) as Array<{ diagnoses?: Diagnosis[] }>).flatMap((c) => c.diagnoses ?? []);

describeWithNix('steward deploy: a failed step is diagnosed', () => {
  let lab: Lab;
  let head = '';
  let toplevel = '';
  const fast = { env: { STEWARD_TEST_RETRY_WAIT_MS: '10' } };

  beforeAll(async () => {
    lab = await createLab();
    head = await lab.commit('homepage: rename the dashboard', HOST_SCENARIOS.find((s) => s.id === 'leaf-service')!.edits);
    toplevel = (await buildToplevels(lab.repo.dir, head, ['node1'])).node1!;
  });
  afterAll(() => lab?.close());

  it('a mount that refuses a live remount: booted and rebooted into the new generation, verified (exit 0)', async () => {
    await lab.reset();
    const node1 = lab.host('node1');
    injectFault(node1, 'failed-units', 'mnt-media.mount\n');
    journal(node1, 'mnt-media.mount', ['2026-03-04T03:00:01 node1 mount[4121]: mount.nfs: /mnt/media is busy or already mounted', '2026-03-04T03:00:01 node1 systemd[1]: Reload failed for mnt-media.mount - /mnt/media.']);
    const run = await lab.deploy(head, fast);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(diagnoses(run)).toMatchObject([{ signature: 'mount.remount-refused', strategy: 'boot-and-reboot', outcome: 'verified', chosenBy: 'knowledge' }]);
    expect(diagnoses(run)[0]!.failure.evidence.map((e) => e.detail)).toContain('2026-03-04T03:00:01 node1 mount[4121]: mount.nfs: /mnt/media is busy or already mounted');
    expect(readlinkIn(node1, 'run/booted-system')).toBe(toplevel);
    expect(reboots(node1)).toHaveLength(1);
    expect(target(run, 'host', 'node1')).toMatchObject({ action: 'boot' });
    // The lab asks for --json: the decision is in the commit's note as well as in `diagnoses`.
    expect(String((run.json?.commits as Array<{ note: string }>)[0]!.note)).toContain('diagnosis host node1: mount.remount-refused -> boot-and-reboot [knowledge]: verified');
  });

  it('a unit that fails only on switch (port handover): booted and rebooted, verified, never switched again (exit 0)', async () => {
    await lab.reset();
    const node1 = lab.host('node1');
    injectFault(node1, 'failed-units', 'homepage.service\n');
    journal(node1, 'homepage.service', ['2026-03-04T03:00:03 node1 homepage[412]: Error: listen EADDRINUSE: address already in use 0.0.0.0:8082']);
    const run = await lab.deploy(head, fast);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(diagnoses(run)).toMatchObject([{ signature: 'switch.port-handover', strategy: 'boot-and-reboot', outcome: 'verified', chosenBy: 'knowledge' }]);
    expect(readlinkIn(node1, 'run/booted-system')).toBe(toplevel);
    expect(reboots(node1)).toHaveLength(1);
    // The failed switch only: the resolution is a boot, not a second switch.
    expect(appliedCount(node1, toplevel, ['switch'])).toBe(1);
  });

  it('a unit that fails only on switch with no known cause: rolled back and escalated, no retry (exit 6)', async () => {
    await lab.reset();
    const node1 = lab.host('node1');
    injectFault(node1, 'failed-units', 'homepage.service\n');
    journal(node1, 'homepage.service', ['2026-03-04T03:00:04 node1 homepage[413]: fatal: unexpected state in /var/lib/homepage']);
    const run = await lab.deploy(head, fast);
    expect(run.exitCode, run.stderr).toBe(6);
    expect(diagnoses(run)).toMatchObject([{ signature: 'switch.units-failed', strategy: 'rollback-and-escalate', outcome: 'escalated' }]);
    expect(readlinkIn(node1, 'run/current-system')).toBe(lab.baseToplevels.node1);
    expect(appliedCount(node1, toplevel, ['switch'])).toBe(1);
    expect(reboots(node1)).toHaveLength(0);
  });

  it('a dependency that came up late: retried once after the wait, verified; the history lists the diagnosis', async () => {
    await lab.reset();
    const node1 = lab.host('node1');
    injectFault(node1, 'failed-units', 'homepage.service\n');
    journal(node1, 'homepage.service', ['2026-03-04T03:00:02 node1 homepage[311]: Error: connect ECONNREFUSED 10.0.0.20:5432']);
    const run = await lab.deploy(head, fast);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(diagnoses(run)).toMatchObject([{ signature: 'unit.dependency-not-ready', strategy: 'retry-after-wait', outcome: 'verified' }]);
    expect(readlinkIn(node1, 'run/current-system')).toBe(toplevel);
    // Switched twice: the failed attempt (rolled back), then the one retry.
    expect(appliedCount(node1, toplevel, ['switch'])).toBe(2);
    const history = await lab.cli(['history', '--diagnoses', '--state', lab.stateFile]);
    expect(history.stdout).toContain('diagnosis host node1: unit.dependency-not-ready -> retry-after-wait [knowledge]: verified');
  });

  it('a change that cuts access: the guard rolls back, no retry, escalated (exit 6)', async () => {
    await lab.reset();
    const node1 = lab.host('node1');
    injectFault(node1, 'cut-access');
    const run = await lab.deploy(head, fast);
    expect(run.exitCode, run.stderr).toBe(6);
    expect(diagnoses(run)).toMatchObject([{ signature: 'host.lost-access', strategy: 'rollback-and-escalate', outcome: 'escalated' }]);
    expect(readlinkIn(node1, 'run/current-system')).toBe(lab.baseToplevels.node1);
    expect(appliedCount(node1, toplevel, ['switch'])).toBe(1);
  });

  it('a dependency that fails again after its one retry: rolled back and escalated, never retried twice', async () => {
    await lab.reset();
    const node1 = lab.host('node1');
    injectFault(node1, 'failed-units', 'homepage.service\n');
    journal(node1, 'homepage.service', ['homepage[311]: Error: connect ECONNREFUSED 10.0.0.20:5432']);
    // The fault is one-shot: arm it again for the retry, as if the dependency never came up. The
    // rollback's switch may take the re-armed fault too, so the retry waits long enough (3 s, not
    // the other tests' 10 ms) for the re-arming to land again however loaded the machine is.
    const fault = path.join(node1, 'etc/fixture/failed-units');
    const rearm = setInterval(() => existsSync(fault) || injectFault(node1, 'failed-units', 'homepage.service\n'), 5);
    try {
      const run = await lab.deploy(head, { env: { STEWARD_TEST_RETRY_WAIT_MS: '3000' } });
      expect(run.exitCode, run.stderr).toBe(6);
      expect(diagnoses(run)).toMatchObject([{ strategy: 'retry-after-wait', outcome: 'failed' }]);
      expect(appliedCount(node1, toplevel, ['switch'])).toBe(2);
    } finally {
      clearInterval(rearm);
    }
  });
});
