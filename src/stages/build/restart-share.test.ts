import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../ports/logger.js';
import type { EvalShareResult, FlakeSource, NixPort } from '../../ports/nix.js';
import { evalShareRestarting } from './restart-share.js';

const HOSTS = ['a', 'b', 'c', 'd', 'e'];
const ref = (h: string) => ({ drvPath: `/nix/store/${h}.drv`, outPath: `/nix/store/${h}` });

/** A Nix whose process passes the memory cap whenever its share holds `heavy` (alone too, if `heavyAlone`). */
function fakeNix(heavy: string, heavyAlone: boolean): { nix: NixPort; calls: string[] } {
  const calls: string[] = [];
  const nix = {
    listHosts: async () => ({ ok: true as const, hosts: HOSTS }),
    evalShare: async (sources: FlakeSource[], worker: number, workers: number): Promise<EvalShareResult> => {
      const mine = HOSTS.filter((_, i) => i % workers === worker);
      calls.push(mine.join(''));
      if (mine.includes(heavy) && (mine.length > 1 || heavyAlone)) return { ok: false, error: { lines: ['nix eval passed nix.evalMaxMemoryMB (64 MiB) and was stopped'] }, memoryExceeded: true };
      return { ok: true, results: Object.fromEntries(sources.map((s) => [s.key, { hosts: HOSTS, toplevels: Object.fromEntries(mine.map((h) => [h, ref(h)])) }])) };
    },
  } as unknown as NixPort;
  return { nix, calls };
}

describe('evalShareRestarting', () => {
  const head: FlakeSource[] = [{ key: 'head', ref: 'git+file:///r?rev=1' }];

  it('restarts a share that passed the cap in halves until each fits', async () => {
    const { nix, calls } = fakeNix('c', false);
    const { result, memoryErrors } = await evalShareRestarting({ nix, logger: silentLogger }, head, 0, 1, [], {});
    expect(result.ok && Object.keys(result.results.head?.toplevels ?? {}).sort()).toEqual(HOSTS);
    expect(memoryErrors).toEqual({});
    expect(calls).toEqual(['abcde', 'ace', 'ae', 'c', 'bd']);
  });

  it('fails only the host that passes the cap alone', async () => {
    const { nix } = fakeNix('c', true);
    const { result, memoryErrors } = await evalShareRestarting({ nix, logger: silentLogger }, head, 0, 1, [], {});
    if (!result.ok) throw new Error('expected the other hosts to evaluate');
    expect(result.results.head?.toplevels).toEqual({ a: ref('a'), b: ref('b'), c: null, d: ref('d'), e: ref('e') });
    expect(memoryErrors.head?.c?.lines[0]).toContain('while evaluating this host alone');
  });
});
