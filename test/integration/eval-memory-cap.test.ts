// nix.evalMaxMemoryMB on real Nix: a worker that passes the cap is stopped and its hosts restarted
// in fresh processes; the host that passes it alone fails alone, every other host is evaluated.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FsCache } from '../../src/adapters/cache-fs.js';
import { NixCli } from '../../src/adapters/nix/nix-cli.js';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { silentLogger } from '../../src/ports/logger.js';
import { flakeRefAt } from '../../src/stages/build/flake-ref.js';
import { evaluateToplevels } from '../../src/stages/build/evaluate-toplevels.js';
import { describeWithNix } from '../helpers/nix.js';

describeWithNix('evaluation under nix.evalMaxMemoryMB', () => {
  let repo: HomelabRepo;
  let head: string;
  beforeAll(async () => {
    repo = await createHomelabRepo();
    // desk's evaluation allocates a few hundred MiB; the other hosts need about 30.
    head = await repo.commit('heavy desk', [{ file: 'hosts/desk/default.nix', find: '  services.tailscale.enable = true;', replace: '  services.tailscale.enable = true;\n  system.evalCost = 1000000;' }]);
  });
  afterAll(() => repo?.remove());

  it('restarts the worker that passed the cap and fails only the host that passes it alone', async () => {
    const nix = new NixCli({ logger: silentLogger, evalMaxMemoryMB: 96 });
    const cache = new FsCache(await mkdtemp(path.join(os.tmpdir(), 'steward-cache-')));
    const source = { key: 'head' as const, sha: head, ref: flakeRefAt(repo.dir, head, '.') };
    const { results, processes } = await evaluateToplevels({ nix, cache, logger: silentLogger }, { sources: [source], workers: 2, ignoreHosts: [], cacheScope: 'memory-cap', values: true });
    const evaluated = results.head;
    if (!evaluated?.ok) throw new Error('the revision should evaluate');
    expect(evaluated.eval.toplevels.desk).toBeNull();
    expect(evaluated.eval.hostErrors.desk?.lines.join(' ')).toContain('nix.evalMaxMemoryMB (96 MiB)');
    for (const host of ['nas', 'node1', 'node2', 'node3']) {
      expect(evaluated.eval.toplevels[host]?.drvPath, host).toMatch(/\.drv$/);
      expect(evaluated.eval.values?.[host]?.kernel.version, host).toBe('6.6.66');
    }
    // Two workers, then the restarts: a listing and fresh processes for the heavy worker's hosts.
    expect(processes).toBeGreaterThan(3);
  });
});
