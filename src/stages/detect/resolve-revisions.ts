// Detect: which two commits to compare. Head defaults to HEAD; base to head's first parent.
// An explicit base that is not an ancestor (a PR's target branch) is replaced by the merge base,
// so the review shows what the branch changes, as GitHub's three-dot diff does. A deploy compares
// with exactly what a target runs (`exact`), even when that is newer than head (a rollback).
import { GitError } from '../../errors.js';
import type { GitPort } from '../../ports/git.js';
import { requireHistory } from './require-history.js';

export interface Revisions {
  base: string;
  head: string;
  /** How the base was chosen, for the report. */
  baseSource: 'explicit' | 'merge-base' | 'first-parent' | 'root';
}

export async function resolveRevisions(git: GitPort, request: { base?: string; head?: string; exact?: boolean }): Promise<Revisions> {
  const head = await git.resolve(request.head ?? 'HEAD');
  if (request.base !== undefined) {
    const given = await git.resolve(request.base);
    if (request.exact) {
      await requireHistory(git, given, head);
      return { base: given, head, baseSource: 'explicit' };
    }
    await requireHistory(git, given, head);
    const mergeBase = await git.mergeBase(given, head);
    if (!mergeBase) throw new GitError(`${request.base} and ${request.head ?? 'HEAD'} have no common history`);
    return { base: mergeBase, head, baseSource: mergeBase === given ? 'explicit' : 'merge-base' };
  }
  await requireHistory(git, null, head);
  const parent = await git.firstParent(head);
  // A root commit is compared with itself: everything in it is "unchanged" rather than invented.
  return parent ? { base: parent, head, baseSource: 'first-parent' } : { base: head, head, baseSource: 'root' };
}
