// Which work a GitHub webhook delivery asks for: a push to the main branch deploys, a pull request
// opened or updated is reviewed, an approval pull request closed decides its commit. Only the few
// fields Steward reads are checked; every other event is acknowledged and ignored.
import { z } from 'zod';
import type { ServeJobPayload } from '../../model/serve-job.js';
import { APPROVAL_BRANCH_PREFIX } from '../gate/approval/approval-format.js';

const Sha = z.string().regex(/^[0-9a-f]{40}$/);
const ZERO_SHA = '0'.repeat(40);

const Push = z.object({ ref: z.string(), after: Sha, deleted: z.boolean().optional() });
const PullRequest = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.object({
    merged: z.boolean().nullable().optional(),
    head: z.object({ ref: z.string(), sha: Sha, repo: z.object({ full_name: z.string() }).nullable() }),
    base: z.object({ ref: z.string(), sha: Sha, repo: z.object({ full_name: z.string() }) }),
  }),
});

/** What a delivery asks for: a job (with its deterministic key), nothing, or a payload that is not what its event says. */
export type GitHubIntake = { kind: 'job'; dedupKey: string; payload: ServeJobPayload } | { kind: 'ignored'; why: string } | { kind: 'invalid'; why: string };

const REVIEWED_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);

export function planGitHubEvent(event: string, body: unknown, options: { mainBranch: string }): GitHubIntake {
  if (event === 'ping') return { kind: 'ignored', why: 'ping' };
  if (event === 'push') {
    const push = Push.safeParse(body);
    if (!push.success) return { kind: 'invalid', why: `push payload: ${push.error.issues[0]?.message ?? 'invalid'}` };
    const { ref, after } = push.data;
    if (ref !== `refs/heads/${options.mainBranch}`) return { kind: 'ignored', why: `push to ${ref}, not ${options.mainBranch}` };
    if (push.data.deleted || after === ZERO_SHA) return { kind: 'ignored', why: `${ref} deleted` };
    // Two deliveries of the same head (a redelivery, a re-push) deploy once.
    return { kind: 'job', dedupKey: `deploy:${after}`, payload: { kind: 'deploy', head: after, ref } };
  }
  if (event === 'pull_request') {
    const parsed = PullRequest.safeParse(body);
    if (!parsed.success) return { kind: 'invalid', why: `pull_request payload: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    const { action, number, pull_request: pr } = parsed.data;
    // A fork's code is not evaluated on the homelab's own machine (Nix evaluation can build and
    // fetch): forks are reviewed in CI, where GitHub sandboxes them (SPEC safety invariant 5).
    if (pr.head.repo?.full_name !== pr.base.repo.full_name) return { kind: 'ignored', why: `pull request #${number} comes from a fork (${pr.head.repo?.full_name ?? 'deleted'}): review it in CI` };
    if (pr.head.ref.startsWith(APPROVAL_BRANCH_PREFIX)) {
      if (action !== 'closed') return { kind: 'ignored', why: `approval pull request #${number} ${action}` };
      const commit = pr.head.ref.slice(APPROVAL_BRANCH_PREFIX.length);
      if (!/^[0-9a-f]{7,40}$/.test(commit)) return { kind: 'ignored', why: `approval branch ${pr.head.ref} names no commit` };
      return { kind: 'job', dedupKey: `approval:${number}:${commit}`, payload: { kind: 'approval', pr: number, commit, merged: pr.merged === true } };
    }
    if (!REVIEWED_ACTIONS.has(action)) return { kind: 'ignored', why: `pull request #${number} ${action}` };
    return { kind: 'job', dedupKey: `review:${number}:${pr.head.sha}:${pr.base.sha}`, payload: { kind: 'review', pr: number, head: pr.head.sha, base: pr.base.sha } };
  }
  return { kind: 'ignored', why: `event ${event} is not one Steward acts on` };
}
