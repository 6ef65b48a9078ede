// The git adapter against real temporary repositories.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { GitError } from '../../src/errors.js';
import type { GitPort } from '../../src/ports/git.js';

describe('git adapter', () => {
  let dir: string;
  let git: GitPort;
  let first: string;
  let second: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'steward-git-'));
    const g = simpleGit({ baseDir: dir });
    await g.init().addConfig('user.name', 't').addConfig('user.email', 't@example.com');
    await writeFile(path.join(dir, 'keep.nix'), '{ a = 1; }\n');
    await writeFile(path.join(dir, 'old name.nix'), 'x\ny\nz\n');
    await writeFile(path.join(dir, 'gone.txt'), 'bye\n');
    await g.add('.').commit('one');
    first = (await g.revparse(['HEAD'])).trim();
    await writeFile(path.join(dir, 'keep.nix'), '{ a = 2; }\n');
    await g.mv('old name.nix', 'new name.nix');
    await g.rm('gone.txt');
    await writeFile(path.join(dir, 'blob.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
    await g.add('.').commit('two');
    second = (await g.revparse(['HEAD'])).trim();
    git = await openGitRepo(path.join(dir));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('resolves revisions to full SHAs and refuses unknown ones with GitError', async () => {
    expect(await git.resolve('HEAD')).toBe(second);
    await expect(git.resolve('HEAD~5')).rejects.toThrow(GitError);
  });
  it('finds first parents and merge bases', async () => {
    expect(await git.firstParent(second)).toBe(first);
    expect(await git.firstParent(first)).toBeNull();
    expect(await git.mergeBase(first, second)).toBe(first);
  });
  it('lists changed paths with status, renames, counts and binaries', async () => {
    const changed = await git.changedPaths(first, second);
    expect(changed).toEqual(
      expect.arrayContaining([
        { path: 'keep.nix', status: 'modified', additions: 1, deletions: 1, binary: false },
        { path: 'new name.nix', oldPath: 'old name.nix', status: 'renamed', additions: 0, deletions: 0, binary: false },
        { path: 'gone.txt', status: 'deleted', additions: 0, deletions: 1, binary: false },
        { path: 'blob.bin', status: 'added', additions: 0, deletions: 0, binary: true },
      ]),
    );
  });
  it('shows files at old revisions without checking them out', async () => {
    expect(await git.show(first, 'keep.nix')).toBe('{ a = 1; }\n');
    expect(await git.show(second, 'gone.txt')).toBeNull();
    expect(await git.listFiles(first)).toEqual(['gone.txt', 'keep.nix', 'old name.nix']);
  });
  it('gives the patch of the requested paths only', async () => {
    const patch = await git.patch(first, second, ['keep.nix']);
    expect(patch).toContain('-{ a = 1; }');
    expect(patch).not.toContain('gone.txt');
  });
});
