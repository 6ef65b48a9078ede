// Steward's unit plan (computed from the unit files, as NixOS judges them) against what
// `switch-to-configuration dry-activate` of the example's toplevels prints for the same change:
// two independent implementations of NixOS's rules must agree on every demo scenario.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { NixCli } from '../../src/adapters/nix/nix-cli.js';
import { parseSwitchOutput } from '../../src/adapters/nixos-host/parse-switch-output.js';
import { defaultConfig } from '../../src/config/schema.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import type { HostChange } from '../../src/model/host-change.js';
import { MemoryCache } from '../../src/ports/cache.js';
import { silentLogger } from '../../src/ports/logger.js';
import { runReview } from '../../src/pipeline/review.js';
import { describeWithNix } from '../helpers/nix.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

/** What NixOS would print, derived from Steward's HostChange. */
function expectedPlan(h: HostChange) {
  const plan = { stop: new Set<string>(), start: new Set<string>(), restart: new Set<string>(), reload: new Set<string>(), skip: new Set<string>(), swapStop: new Set<string>() };
  for (const u of h.units) {
    if (u.action === 'restart' && u.why.startsWith('stopped before')) {
      plan.stop.add(u.unit);
      plan.start.add(u.unit);
    } else if (u.action !== 'none') plan[u.action].add(u.unit);
  }
  for (const m of h.mounts) {
    if (m.swap) {
      if (m.change === 'removed') plan.swapStop.add(m.mountPoint);
    } else if (m.change === 'options') plan.reload.add(m.unit);
    else if (m.change === 'added') plan.start.add(m.unit);
    else if (m.change === 'removed') plan.stop.add(m.unit);
    else plan.restart.add(m.unit);
  }
  return Object.fromEntries(Object.entries(plan).map(([k, v]) => [k, [...v].sort()]));
}

describeWithNix('unit plans agree with switch-to-configuration dry-activate', () => {
  let repo: HomelabRepo;
  const roots: string[] = [];
  beforeAll(async () => {
    repo = await createHomelabRepo();
  });
  afterAll(async () => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
    await repo.remove();
  });

  for (const scenario of HOST_SCENARIOS.filter((s) => s.expect.changedHosts.length > 0)) {
    it(`agrees on "${scenario.id}" for every changed host`, async () => {
      const head = await repo.commit(scenario.message, scenario.edits);
      const deps = { git: await openGitRepo(repo.dir), nix: new NixCli({ logger: silentLogger }), cache: new MemoryCache(), logger: silentLogger, hcl: hclJobParser };
      const { report } = await runReview(deps, { head, noBuild: false, config: defaultConfig() });
      const changed = report.changeSet.hosts.filter((h) => h.status === 'changed');
      expect(changed.length).toBeGreaterThan(0);
      for (const h of changed) {
        const root = mkdtempSync(path.join(os.tmpdir(), `steward-fidelity-${h.host}-`));
        roots.push(root);
        mkdirSync(path.join(root, 'run'));
        symlinkSync(h.toplevel.base as string, path.join(root, 'run/current-system'));
        // NixOS prints the plan on stderr.
        const stderr = execFileSync('sh', ['-c', '"$0" dry-activate 2>&1 >/dev/null', `${h.toplevel.head}/bin/switch-to-configuration`], { env: { ...process.env, NIXOS_FIXTURE_ROOT: root }, encoding: 'utf8' });
        const nixos = parseSwitchOutput(stderr);
        const actual = { stop: nixos.stop, start: nixos.start, restart: nixos.restart, reload: nixos.reload, skip: nixos.skip, swapStop: nixos.swapStop };
        expect(Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, [...v].sort()])), `${scenario.id} on ${h.host}`).toEqual(expectedPlan(h));
        expect(nixos.restartSystemd).toBe(Boolean(h.boot.systemd));
      }
    });
  }
});
