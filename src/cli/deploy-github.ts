// `steward deploy --github`: wires the GitHub port (token, repository, API URL) into the approval
// gate (stages/gate/approval) and the push report (stages/report/github). No logic here.
import type { StewardConfig } from '../config/schema.js';
import type { DeployReport } from '../model/deploy-record.js';
import type { ApprovalGate } from '../ports/approval-gate.js';
import type { DeployStore } from '../ports/deploy-store.js';
import { githubApprovalGate } from '../stages/gate/approval/github-approval-gate.js';
import { reportDeployToGitHub } from '../stages/report/github/report-deploy.js';
import { renderReport } from './commands/review.js';
import type { CliContext } from './context.js';
import { githubReportDeps } from './github-report.js';

export interface DeployGitHub {
  approvals: ApprovalGate;
  report(report: DeployReport, markdown: string): Promise<void>;
}

export function createDeployGitHub(ctx: CliContext, config: StewardConfig, input: { store: DeployStore; mainBranch: string; runUrl: string | null }): DeployGitHub {
  const deps = githubReportDeps(ctx, config);
  const runUrl = input.runUrl ? { runUrl: input.runUrl } : {};
  return {
    approvals: githubApprovalGate({ github: deps.github, store: input.store, redactor: ctx.redactor, logger: ctx.logger }, { mainBranch: input.mainBranch, renderReview: renderReport, ...runUrl }),
    report: (report, markdown) => reportDeployToGitHub(deps, { report, markdown, ...runUrl }),
  };
}
