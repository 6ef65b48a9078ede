// `steward review --level`: evaluation level by default where Nix is present, each level says on
// the report's first line which it is and why, and only build level builds.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHomelabRepo, type HomelabRepo } from '../../src/demo/homelab-repo.js';
import { HOST_SCENARIOS } from '../../src/demo/scenarios.js';
import { ReviewReport } from '../../src/model/review.js';
import { runCli } from '../helpers/cli.js';
import { describeWithNix } from '../helpers/nix.js';

describeWithNix('steward review --level', () => {
  let repo: HomelabRepo;
  let head: string;
  beforeAll(async () => {
    repo = await createHomelabRepo();
    head = await repo.commit('kernel', HOST_SCENARIOS.find((s) => s.id === 'kernel-bump')?.edits ?? []);
  });
  afterAll(() => repo?.remove());

  const review = async (...extra: string[]) => {
    const result = await runCli(['review', '--repo', repo.dir, '--head', head, '--llm', 'off', '--cache-dir', path.join(repo.dir, '.git', 'steward-cache'), ...extra]);
    expect(result.exitCode, result.stderr).toBe(0);
    return result.stdout;
  };

  it('reviews at evaluation level by default, builds nothing, and says so first', async () => {
    const markdown = await review();
    expect(markdown.split('\n')[0]).toContain('evaluation level: the default where Nix is present');
    const report = ReviewReport.parse(JSON.parse(await review('--json')));
    expect(report).toMatchObject({ level: 'eval', label: 'needs-reboot', stats: { toplevelsBuilt: 0 } });
  });

  it('builds at --level build and reads the text alone at --level diff', async () => {
    const built = ReviewReport.parse(JSON.parse(await review('--json', '--level', 'build')));
    expect(built).toMatchObject({ level: 'build', label: 'needs-reboot', changeSet: { levelNote: expect.stringMatching(/^build level: --level build/) } });
    expect(built.stats.toplevelsBuilt).toBeGreaterThan(0);
    const diff = ReviewReport.parse(JSON.parse(await review('--json', '--level', 'diff')));
    expect(diff).toMatchObject({ level: 'diff', changeSet: { levelNote: 'diff only: --level diff' } });
  });
});
