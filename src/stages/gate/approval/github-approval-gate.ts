// The approval gate on GitHub: a held commit gets an approval pull request (opened through the
// git data API, no checkout); merging it approves exactly that SHA, closing it rejects it. The
// state store remembers requests and answers.
import type { ReviewReport } from '../../../model/review.js';
import type { ApprovalGate } from '../../../ports/approval-gate.js';
import type { DeployStore } from '../../../ports/deploy-store.js';
import { evaluateApproval, requestApproval, type ApprovalDeps } from './approval-flow.js';
import { approvalReasons } from './approval-format.js';

export interface GitHubApprovalInput {
  mainBranch: string;
  /** The workflow run, linked from the approval PR. */
  runUrl?: string;
  /** A review as markdown (the PR body quotes the reviews behind the hold). */
  renderReview: (report: ReviewReport) => string;
}

/** The approval flow's ports; the store also lists the requests still open. */
export type GitHubApprovalDeps = ApprovalDeps & { store: ApprovalDeps['store'] & Pick<DeployStore, 'approvals'> };

export function githubApprovalGate(deps: GitHubApprovalDeps, input: GitHubApprovalInput): ApprovalGate {
  const { mainBranch } = input;
  return {
    async isApproved(sha) {
      const decision = await evaluateApproval(deps, { sha, mainBranch });
      switch (decision.kind) {
        case 'approved':
          return { approved: true };
        case 'pending':
          return { approved: false, note: `waiting for approval pull request #${decision.pr}` };
        case 'missing':
          return { approved: false };
        default:
          return { approved: false, note: decision.why };
      }
    },
    async request(sha, request) {
      const markdown = request.reviews.map((r) => input.renderReview(r)).join('\n\n---\n\n');
      const reasons = approvalReasons(request.reasons);
      const result = await requestApproval(deps, { sha, mainBranch, label: request.label, reasons, markdown, ...(input.runUrl ? { runUrl: input.runUrl } : {}) });
      if (result.kind === 'decided') {
        const d = result.decision;
        return { note: d.kind === 'rejected' ? `rejected before (${d.why}): not proposed again` : `approval: ${d.kind}` };
      }
      return { url: result.pr.htmlUrl, note: `approval ${result.kind === 'unchanged' ? 'still requested' : result.kind === 'opened' ? 'requested' : 'request updated'} in ${result.pr.htmlUrl}` };
    },
    async approvedCommits(handled) {
      const out: string[] = [];
      for (const record of await deps.store.approvals(['requested', 'approved'])) {
        if (handled(record.sha)) continue;
        const decision = await evaluateApproval(deps, { sha: record.sha, mainBranch });
        if (decision.kind === 'approved') out.push(record.sha);
      }
      return out;
    },
  };
}
