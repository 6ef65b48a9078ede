import { describe, expect, it } from 'vitest';
import { silentLogger } from '../ports/logger.js';
import { failedPhaseOf, runPhases } from './phase-runner.js';

describe('runPhases', () => {
  it('runs phases in the order asked, names nested ones outer/inner, and closes clients last registered first', async () => {
    const events: string[] = [];
    const ran = await runPhases(silentLogger, async (phases) => {
      phases.closeLater(() => events.push('close store'));
      phases.closeLater(() => events.push('close nomad'));
      await phases.run('plan', () => events.push('plan'));
      await phases.run('apply', () => phases.run('rollout', () => events.push('rollout')));
      return phases.ran.map((p) => `${p.name}:${p.ok}`);
    });
    expect(ran).toEqual(['plan:true', 'apply/rollout:true', 'apply:true']);
    expect(events).toEqual(['plan', 'rollout', 'close nomad', 'close store']);
  });

  it('passes an error on unchanged, named by the innermost phase, and still closes every client', async () => {
    const closed: string[] = [];
    const thrown = new TypeError('boom');
    const error = await runPhases(silentLogger, async (phases) => {
      phases.closeLater(() => closed.push('store'));
      phases.closeLater(() => {
        throw new Error('close failed');
      });
      await phases.run('apply', () => phases.run('jobs', () => Promise.reject(thrown)));
    }).catch((e: unknown) => e);
    expect(error).toBe(thrown);
    expect(failedPhaseOf(error)).toBe('apply/jobs');
    expect(closed).toEqual(['store']);
  });
});
