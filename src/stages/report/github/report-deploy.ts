// `steward deploy --github`: per deployed commit, its check, the `deploy` section of the PR
// comment, the job summary, and one GitHub Deployment per target environment.
import type { DeployReport } from '../../../model/deploy-record.js';
import { toMirrorRecords, toPushOutcome } from '../../record/push-outcome.js';
import { mirrorDeployRecord } from './deployments.js';
import { postPushReport } from './post-push.js';
import type { GitHubReportDeps } from './post-review.js';

export async function reportDeployToGitHub(deps: GitHubReportDeps, input: { report: DeployReport; markdown: string; runUrl?: string }): Promise<void> {
  const url = input.runUrl ? { fullReportUrl: input.runUrl } : {};
  for (const commit of input.report.commits) {
    await postPushReport(deps, { outcome: toPushOutcome(commit), markdown: input.markdown, ...url });
    for (const mirror of toMirrorRecords(commit, input.runUrl)) await mirrorDeployRecord(deps, mirror);
  }
}
