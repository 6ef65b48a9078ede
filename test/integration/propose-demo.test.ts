// `steward demo` part 4 on its own: the image-update proposal printed as GitHub receives it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProposeDemo } from '../../src/demo/propose-demo.js';
import { CLI } from '../helpers/cli.js';

describe('runProposeDemo', () => {
  it('prints the postgres image-update PR with its classification', async () => {
    const workdir = await mkdtemp(path.join(os.tmpdir(), 'steward-propose-demo-'));
    const lines: string[] = [];
    try {
      const result = await runProposeDemo({ out: (t) => lines.push(t), env: { ...process.env, GITHUB_ACTIONS: '' }, workdir, cliPath: CLI, build: false });
      const text = lines.join('\n');
      expect(result.ok, text).toBe(true);
      expect(result.outcomes.find((o) => o.topic === 'image-postgres')).toMatchObject({ result: 'dry-run', title: 'Update postgres to 16.6', label: expect.any(String) });
      expect(text).toContain('"head": "steward/proposal/image-postgres"');
      expect(text).toContain('## Classification: ');
      expect(text).toContain('| `postgres` | `16.4` | `16.6` |');
    } finally {
      await rm(workdir, { recursive: true, force: true });
    }
  });
});
