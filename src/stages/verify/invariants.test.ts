import { describe, expect, it } from 'vitest';
import { Invariant } from '../../config/schema.js';
import type { HostSystem } from '../../ports/host.js';
import { runInvariant, runInvariants, type InvariantDeps } from './invariants.js';

const deps = (over: Partial<InvariantDeps> = {}): InvariantDeps => ({
  hostFor: () => null,
  runLocal: async (argv) => ({ exitCode: argv[0] === 'true' ? 0 : 1, output: argv[0] === 'true' ? '' : 'nfs not mounted\n', timedOut: false }),
  httpStatus: async (url) => (url.endsWith('/ok') ? 200 : 503),
  ...over,
});
const inv = (raw: Record<string, unknown>) => Invariant.parse({ name: 'x', ...raw });

describe('runInvariant', () => {
  it('passes a command that exits 0 and fails one that does not, with its last line', async () => {
    expect(await runInvariant(inv({ command: ['true'] }), deps())).toEqual({ name: 'invariant: x', ok: true, detail: 'exit 0' });
    expect(await runInvariant(inv({ command: ['false'] }), deps())).toMatchObject({ ok: false, detail: 'exit 1: nfs not mounted' });
  });

  it('probes HTTP for the expected status', async () => {
    expect(await runInvariant(inv({ http: 'http://127.0.0.1/ok' }), deps())).toMatchObject({ ok: true, detail: 'GET http://127.0.0.1/ok: 200' });
    expect(await runInvariant(inv({ http: 'http://127.0.0.1/down', expectStatus: 200 }), deps())).toMatchObject({ ok: false, detail: 'GET http://127.0.0.1/down: 503 (expected 200)' });
    expect(await runInvariant(inv({ http: 'http://127.0.0.1/x' }), deps({ httpStatus: async () => Promise.reject(new Error('connection refused')) }))).toMatchObject({ ok: false, detail: 'connection refused' });
  });

  it('runs on the named host, and fails clearly for a host that is not configured or a timeout', async () => {
    const host = { run: async () => ({ exitCode: 0, output: 'mounted', timedOut: false }) } as unknown as HostSystem;
    expect(await runInvariant(inv({ command: ['mountpoint', '/mnt/media'], on: 'node1' }), deps({ hostFor: () => host }))).toEqual({ name: 'invariant: x', ok: true, detail: 'exit 0: mounted', target: 'host node1' });
    expect(await runInvariant(inv({ command: ['true'], on: 'ghost' }), deps())).toMatchObject({ ok: false, detail: '"on": ghost is not a configured host' });
    expect(await runInvariant(inv({ command: ['sleep', '9'], timeoutSeconds: 1 }), deps({ runLocal: async () => ({ exitCode: null, output: '', timedOut: true }) }))).toMatchObject({ ok: false, detail: 'timed out after 1 s' });
  });

  it('refuses an invariant with both or neither of command and http', () => {
    expect(Invariant.safeParse({ name: 'x' }).success).toBe(false);
    expect(Invariant.safeParse({ name: 'x', command: ['true'], http: 'http://a/' }).success).toBe(false);
  });

  it('runs only the ones picked', async () => {
    const all = [inv({ name: 'a', command: ['true'] }), inv({ name: 'b', command: ['true'], on: 'nas' })];
    expect((await runInvariants(all, deps(), (i) => i.on === 'local')).map((c) => c.name)).toEqual(['invariant: a']);
  });
});
