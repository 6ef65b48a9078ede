// A repository without flake.nix (Nomad jobs only, or the flake in another folder): the review
// runs at diff level and its first line says why, instead of a "build failed" from Nix.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ReviewReport } from '../../src/model/review.js';
import { runCli } from '../helpers/cli.js';
import { describeWithNix } from '../helpers/nix.js';

describeWithNix('steward review in a repository without flake.nix', () => {
  let dir: string;
  const git = (...args: string[]) => execa('git', args, { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'steward-noflake-'));
    await git('init', '-q', '-b', 'main');
    await mkdir(path.join(dir, 'hosts'));
    await writeFile(path.join(dir, 'hosts', 'nas.nix'), '{ ... }: { networking.hostName = "nas"; }\n');
    await git('add', '-A');
    await git('commit', '-qm', 'init');
    await writeFile(path.join(dir, 'hosts', 'nas.nix'), '{ ... }: { networking.hostName = "nas"; services.openssh.ports = [ 2200 ]; }\n');
    await git('commit', '-qam', 'ssh port');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reviews at diff level and says why on the first line', async () => {
    const result = await runCli(['review', '--repo', dir]);
    const first = result.stdout.split('\n')[0]!;
    expect(first).toContain('diff only: no flake.nix in this revision');
    expect(result.stdout).not.toMatch(/build failed/i);
    const json = await runCli(['review', '--repo', dir, '--json']);
    expect(ReviewReport.parse(JSON.parse(json.stdout))).toMatchObject({ level: 'diff', outcome: 'reviewed', changeSet: { levelNote: expect.stringContaining('no flake.nix') } });
  });
});
