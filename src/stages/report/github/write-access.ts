// Who may trigger a write: forks never; same-repository PRs only when the author can push here.
// Pure decision first, then the one lookup it may need (the collaborator permission).
import type { GitHubPulls, PullRequestInfo, RepoPermission } from '../../../ports/github.js';

export type WriteAccess = { allowed: true; why: string } | { allowed: false; why: string };

/** author_association values that can never mean write access. */
const NO_ACCESS = new Set(['NONE', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'MANNEQUIN']);
const WRITERS = new Set<RepoPermission>(['admin', 'maintain', 'write']);

/** What can be decided without the permission API; `undefined` means "look the permission up". */
export function decideWriteAccessFast(pr: PullRequestInfo, repository: string): WriteAccess | undefined {
  if (pr.headRepo === null || pr.headRepo.toLowerCase() !== repository.toLowerCase()) {
    return { allowed: false, why: `pull request #${pr.number} comes from a fork (${pr.headRepo ?? 'deleted repository'}): no writes for forks` };
  }
  if (!pr.author) return { allowed: false, why: `pull request #${pr.number} has no author` };
  // The head branch lives in this repository, so whoever pushed it could write here; a bot
  // account has no collaborator permission to look up.
  if (pr.author.type === 'Bot') return { allowed: true, why: `bot ${pr.author.login} pushed a branch of this repository` };
  if (pr.authorAssociation === 'OWNER') return { allowed: true, why: `${pr.author.login} owns the repository` };
  if (NO_ACCESS.has(pr.authorAssociation)) {
    return { allowed: false, why: `${pr.author.login} (${pr.authorAssociation.toLowerCase()}) has no write access` };
  }
  return undefined;
}

export function decideWriteAccess(pr: PullRequestInfo, repository: string, permission: RepoPermission): WriteAccess {
  const fast = decideWriteAccessFast(pr, repository);
  if (fast) return fast;
  const login = pr.author?.login ?? 'unknown';
  return WRITERS.has(permission)
    ? { allowed: true, why: `${login} has ${permission} permission` }
    : { allowed: false, why: `${login} has ${permission} permission; writing needs write, maintain or admin` };
}

/** Decides, asking GitHub for the author's permission only when the PR alone cannot tell. */
export async function checkWriteAccess(github: Pick<GitHubPulls, 'getPermission'>, pr: PullRequestInfo, repository: string): Promise<WriteAccess> {
  const fast = decideWriteAccessFast(pr, repository);
  if (fast) return fast;
  const permission = await github.getPermission(pr.author!.login);
  return decideWriteAccess(pr, repository, permission);
}
