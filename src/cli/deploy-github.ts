// `steward deploy --github`: the approval gate (approval PRs, backed by the state store) and the
// push report (the commit's check, the PR comment's deploy section, the job summary, one GitHub
// Deployment per target environment).
import { resolveGitHubSettings } from '../adapters/github-actions/action-inputs.js';
import { createActionsJobSummary } from '../adapters/github-actions/job-summary.js';
import { createGitHubPort } from '../adapters/github-octokit/github-port.js';
import type { StewardConfig } from '../config/schema.js';
import type { DeployStore } from '../ports/deploy-store.js';
import type { GitHubPort } from '../ports/github.js';
import type { ApprovalGate } from '../ports/approval-gate.js';
import { evaluateApproval, requestApproval, type ApprovalDeps } from '../stages/gate/approval/approval-flow.js';
import { approvalReasons } from '../stages/gate/approval/approval-format.js';
import { mirrorDeployRecord } from '../stages/report/github/deployments.js';
import { postPushReport } from '../stages/report/github/post-push.js';
import type { DeployReport } from '../model/deploy-record.js';
import { toMirrorRecords, toPushOutcome } from '../stages/record/push-outcome.js';
import { renderReport } from './commands/review.js';
import type { CliContext } from './context.js';

export interface DeployGitHub {
  github: GitHubPort;
  approvals: ApprovalGate;
  report(report: DeployReport, markdown: string): Promise<void>;
}

export function createDeployGitHub(ctx: CliContext, config: StewardConfig, input: { store: DeployStore; mainBranch: string; runUrl: string | null }): DeployGitHub {
  const settings = resolveGitHubSettings(config.github, ctx.env);
  const github = createGitHubPort({ repository: settings.repository, token: settings.token, baseUrl: settings.apiUrl, redactor: ctx.redactor, logger: ctx.logger });
  const approvalDeps: ApprovalDeps = { github, store: input.store, redactor: ctx.redactor, logger: ctx.logger };
  const { mainBranch } = input;
  const approvals: ApprovalGate = {
    async isApproved(sha) {
      const decision = await evaluateApproval(approvalDeps, { sha, mainBranch });
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
      const markdown = request.reviews.map((r) => renderReport(r)).join('\n\n---\n\n');
      const reasons = approvalReasons(request.reasons);
      const result = await requestApproval(approvalDeps, { sha, mainBranch, label: request.label, reasons, markdown, ...(input.runUrl ? { runUrl: input.runUrl } : {}) });
      if (result.kind === 'decided') {
        const d = result.decision;
        return { note: d.kind === 'rejected' ? `rejected before (${d.why}): not proposed again` : `approval: ${d.kind}` };
      }
      return { url: result.pr.htmlUrl, note: `approval ${result.kind === 'unchanged' ? 'still requested' : result.kind === 'opened' ? 'requested' : 'request updated'} in ${result.pr.htmlUrl}` };
    },
    async approvedCommits(handled) {
      const out: string[] = [];
      for (const record of await input.store.approvals(['requested', 'approved'])) {
        if (handled(record.sha)) continue;
        const decision = await evaluateApproval(approvalDeps, { sha: record.sha, mainBranch });
        if (decision.kind === 'approved') out.push(record.sha);
      }
      return out;
    },
  };
  return {
    github,
    approvals,
    async report(report, markdown) {
      const deps = { github, redactor: ctx.redactor, logger: ctx.logger, ...(ctx.env.GITHUB_STEP_SUMMARY ? { jobSummary: createActionsJobSummary() } : {}) };
      for (const commit of report.commits) {
        await postPushReport(deps, { outcome: toPushOutcome(commit), markdown, ...(input.runUrl ? { fullReportUrl: input.runUrl } : {}) });
        for (const mirror of toMirrorRecords(commit, input.runUrl ?? undefined)) await mirrorDeployRecord(deps, mirror);
      }
    },
  };
}
