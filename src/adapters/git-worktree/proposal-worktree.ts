// ProposalWorktreePort over `git worktree`: a detached worktree in the temp directory, removed in
// `finally`; the commit is kept reachable by `refs/steward/proposals/<topic>` so gc keeps it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import type { ProposalWorktreePort, WorktreeCommit } from '../../ports/proposal-worktree.js';

export function createProposalWorktrees(repoRoot: string): ProposalWorktreePort {
  const repo = simpleGit({ baseDir: repoRoot });
  const withWorktree = async <T>(base: string, fn: (dir: string) => Promise<T>): Promise<T> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-proposal-'));
    try {
      await repo.raw(['worktree', 'add', '--detach', dir, base]);
      return await fn(dir);
    } finally {
      await repo.raw(['worktree', 'remove', '--force', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      await repo.raw(['worktree', 'prune']).catch(() => undefined);
    }
  };
  return {
    inspect: withWorktree,
    captureIn(base, change) {
      return withWorktree(base, async (dir) => {
        await change(dir);
        const wt = simpleGit({ baseDir: dir, config: ['core.quotepath=off'] });
        await wt.raw(['add', '--all']);
        const changed = (await wt.raw(['diff', '--cached', '--name-status', '--no-renames', '-z'])).split('\0').filter(Boolean);
        const edits: { path: string; content: string }[] = [];
        const deleted: string[] = [];
        for (let i = 0; i < changed.length; i += 2) {
          const [status, file] = [changed[i]!, changed[i + 1]!];
          if (status === 'D') deleted.push(file);
          else edits.push({ path: file, content: await readFile(path.join(dir, file), 'utf8') });
        }
        return { edits, deleted };
      });
    },
    commitIn(base, topic, change, commit): Promise<WorktreeCommit | null> {
      return withWorktree(base, async (dir) => {
        await change(dir);
        const { name, email } = commit.author;
        // Author and committer come from here, never from the runner's git config.
        const wt = simpleGit({ baseDir: dir, config: ['core.quotepath=off', `user.name=${name}`, `user.email=${email}`] });
        await wt.raw(['add', '--all']);
        const changed = (await wt.raw(['diff', '--cached', '--name-status', '--no-renames', '-z'])).split('\0').filter(Boolean);
        if (changed.length === 0) return null;
        await wt.raw(['commit', '--no-verify', '--no-gpg-sign', '-m', commit.message]);
        const sha = (await wt.revparse(['HEAD'])).trim();
        await repo.raw(['update-ref', `refs/steward/proposals/${topic}`, sha]);
        const files: WorktreeCommit['files'] = [];
        for (let i = 0; i < changed.length; i += 2) {
          const [status, file] = [changed[i]!, changed[i + 1]!];
          files.push({ path: file, content: status === 'D' ? null : await readFile(path.join(dir, file), 'utf8') });
        }
        return { sha, files };
      });
    },
  };
}
