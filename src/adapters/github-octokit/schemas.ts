// zod schemas for the parts of GitHub's responses Steward reads, and their mapping onto the port's
// shapes. Unknown fields are dropped; a missing field fails loudly at this edge.
import { z } from 'zod';
import type { DeploymentInfo, GitHubUser, IssueComment, PullRequestInfo, RepoPermission } from '../../ports/github.js';

const User = z.object({ login: z.string(), type: z.string() }).nullable();

export const IssueCommentResponse = z.object({
  id: z.number().int(),
  body: z.string().optional(),
  user: User,
  html_url: z.string(),
});

const BranchSide = z.object({
  ref: z.string(),
  sha: z.string(),
  repo: z.object({ full_name: z.string() }).nullable(),
});

/** Both `pull-request` and `pull-request-simple` (lists) carry these fields. */
export const PullRequestResponse = z.object({
  number: z.number().int(),
  state: z.enum(['open', 'closed']),
  merged: z.boolean().optional(),
  merged_at: z.string().nullable(),
  merge_commit_sha: z.string().nullable(),
  title: z.string(),
  body: z.string().nullable(),
  head: BranchSide,
  base: BranchSide,
  user: User,
  author_association: z.string(),
  html_url: z.string(),
});

export const CheckRunResponse = z.object({ id: z.number().int(), html_url: z.string().nullable() });

export const PermissionResponse = z.object({ permission: z.string(), role_name: z.string() });

export const GitRefResponse = z.object({ object: z.object({ sha: z.string() }) });
export const ShaResponse = z.object({ sha: z.string() });
const GitPersonResponse = z.object({ name: z.string(), email: z.string() });
export const GitCommitResponse = z.object({ tree: z.object({ sha: z.string() }), parents: z.array(z.object({ sha: z.string() })), author: GitPersonResponse, committer: GitPersonResponse });
export const CompareResponse = z.object({ status: z.enum(['ahead', 'behind', 'identical', 'diverged']) });

export const DeploymentResponse = z.object({
  id: z.number().int(),
  sha: z.string(),
  environment: z.string(),
  task: z.string(),
});

function toUser(user: z.infer<typeof User>): GitHubUser | null {
  return user ? { login: user.login, type: user.type } : null;
}

export function toIssueComment(data: unknown): IssueComment {
  const c = IssueCommentResponse.parse(data);
  return { id: c.id, body: c.body ?? '', author: toUser(c.user), htmlUrl: c.html_url };
}

export function toPullRequest(data: unknown): PullRequestInfo {
  const pr = PullRequestResponse.parse(data);
  return {
    number: pr.number,
    state: pr.state,
    // Lists return `pull-request-simple`, which has no `merged`: `merged_at` says the same.
    merged: pr.merged ?? pr.merged_at !== null,
    mergeCommitSha: pr.merge_commit_sha,
    title: pr.title,
    body: pr.body,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    headRepo: pr.head.repo?.full_name ?? null,
    baseRef: pr.base.ref,
    baseRepo: pr.base.repo?.full_name ?? '',
    author: toUser(pr.user),
    authorAssociation: pr.author_association,
    htmlUrl: pr.html_url,
  };
}

const PERMISSIONS: readonly RepoPermission[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];

/** `permission` folds maintain into write and triage into read; `role_name` keeps them apart. */
export function toPermission(data: unknown): RepoPermission {
  const p = PermissionResponse.parse(data);
  const role = PERMISSIONS.find((x) => x === p.role_name);
  if (role) return role;
  return PERMISSIONS.find((x) => x === p.permission) ?? 'none';
}

export function toDeployment(data: unknown): DeploymentInfo {
  return DeploymentResponse.parse(data);
}
