import { describe, expect, it } from 'vitest';
import type { SessionContext } from './bundle.js';
import { fitBlocks, renderContext } from './render-context.js';

const ok = <T>(value: T) => ({ status: 'ok' as const, value, durationMs: 1 });
const missing = (note: string) => ({ status: 'missing' as const, note, durationMs: 1 });

const context: SessionContext = {
  trigger: { kind: 'check' },
  gatheredAt: '2026-12-04T12:00:00Z',
  hosts: ok([{ host: 'nas', failedUnits: ['grafana.service'], journal: { 'grafana.service': ['grafana: error: database is locked'] } }]),
  nomad: ok({
    jobCount: 2,
    healthyJobs: ['whoami'],
    leader: '10.0.0.11:4647',
    troubledJobs: [{ id: 'miniflux', type: 'service', status: 'running', troubled: [{ id: 'abcdef0123456789', name: 'miniflux.web[0]', taskGroup: 'web', nodeName: 'client-1', clientStatus: 'failed', desiredStatus: 'run', events: ['server: Driver Failure: image not found', 'server: Restarting: exceeded restart attempts'] }] }],
  }),
  consul: missing('consul: no answer within 15 s'),
  deploys: ok({ entries: [] }),
  commits: ok({ ref: 'main', commits: [{ sha: 'abc123', subject: 'bump miniflux' }] }),
  knowledge: ok({ docs: [] }),
};

describe('rendering the context', () => {
  it('shows troubled allocations with their recent events, fenced as data, and says what is missing', () => {
    const text = renderContext(context, 6000).text;
    expect(text).toMatch(/### Nomad job miniflux \(service, running\)\n- alloc abcdef01 miniflux\.web\[0\] on client-1: failed\n----- BEGIN UNTRUSTED DATA \w+ \(events of alloc abcdef01\) -----\nserver: Driver Failure: image not found/);
    expect(text).toContain('- missing: consul: no answer within 15 s');
    expect(text.indexOf('Host nas')).toBeLessThan(text.indexOf('Missing context'));
    expect(text.indexOf('Missing context')).toBeLessThan(text.indexOf('Recent commits on main'));
  });

  it('keeps the strongest blocks when the budget is small, and never cuts a fenced block in half', () => {
    const blocks = [
      { priority: 5, title: 'late', text: 'x'.repeat(4000) },
      { priority: 0, title: 'first', text: 'the trigger' },
      { priority: 2, title: 'fenced', text: `----- BEGIN UNTRUSTED DATA n (j) -----\n${'y'.repeat(4000)}\n----- END UNTRUSTED DATA n -----` },
    ];
    const rendered = fitBlocks(blocks, 600);
    expect(rendered.text.startsWith('### first\nthe trigger')).toBe(true);
    expect(rendered.omitted).toContain('fenced');
    expect(rendered.text).toContain('[… cut to fit the context budget]');
  });
});
