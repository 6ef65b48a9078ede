// Watching a deployment with blocking queries, on a scripted fake of the port.
import { describe, expect, it } from 'vitest';
import type { BlockingQuery, NomadDeployment, NomadDeployments } from '../../ports/nomad.js';
import { nextIndex, watchDeployment } from './watch-deployment.js';

const deployment = (status: string, modifyIndex: number): NomadDeployment => ({ id: 'd1', jobId: 'web', jobVersion: 1, jobModifyIndex: 5, status, statusDescription: '', groups: {}, modifyIndex });

/** A fake that answers from a script and records the blocking queries it was asked. */
function scripted(answers: Array<[number, NomadDeployment]>, delayMs = 0): { port: NomadDeployments; asked: BlockingQuery[] } {
  const asked: BlockingQuery[] = [];
  const unused = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    asked,
    port: {
      async deployment(_id, query = {}) {
        asked.push(query);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const [index, value] = answers[Math.min(asked.length - 1, answers.length - 1)]!;
        return { index, value };
      },
      evaluation: unused,
      latestDeployment: unused,
      deploymentAllocations: unused,
      jobAllocations: unused,
    },
  };
}

describe('watchDeployment', () => {
  it('passes each answer index to the next blocking query until the deployment ends', async () => {
    const { port, asked } = scripted([
      [10, deployment('running', 10)],
      [12, deployment('running', 12)],
      [15, deployment('successful', 15)],
    ]);
    const seen: number[] = [];
    const outcome = await watchDeployment(port, 'd1', { waitMs: 1_000, onUpdate: (d) => seen.push(d.modifyIndex) });
    expect(outcome).toMatchObject({ status: 'successful', requests: 3 });
    expect(asked.map((q) => q.index)).toEqual([0, 10, 12]);
    expect(seen).toEqual([10, 12, 15]);
  });

  it('stops at its deadline with the last state it saw', async () => {
    const { port } = scripted([[10, deployment('running', 10)]], 20);
    const outcome = await watchDeployment(port, 'd1', { waitMs: 1_000, timeoutMs: 70 });
    expect(outcome.status).toBe('timeout');
    expect(outcome.deployment.status).toBe('running');
  });
});

describe('nextIndex', () => {
  it('keeps the answered index, resets when it went backwards, and never reuses 0', () => {
    expect(nextIndex(10, 12)).toBe(12);
    expect(nextIndex(10, 10)).toBe(10);
    expect(nextIndex(10, 3)).toBe(0);
    expect(nextIndex(0, 0)).toBe(1);
  });
});
