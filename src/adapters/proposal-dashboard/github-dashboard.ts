// ProposalDashboardPort on GitHub issues (octokit), errors converted at this edge.
import type { ProposalDashboardPort } from '../../ports/proposal-dashboard.js';
import type { Redactor } from '../../redact.js';
import { callGitHub, type StewardOctokit } from '../github-octokit/client.js';

export function createGitHubDashboard(options: { octokit: StewardOctokit; repository: string; redactor: Redactor }): ProposalDashboardPort {
  const [owner, repo] = options.repository.split('/') as [string, string];
  return {
    async create(title, body) {
      const { data } = await callGitHub('create dashboard issue', options.redactor, () => options.octokit.rest.issues.create({ owner, repo, title, body }));
      return data.number;
    },
    async update(issue, title, body) {
      await callGitHub('update dashboard issue', options.redactor, () => options.octokit.rest.issues.update({ owner, repo, issue_number: issue, title, body, state: 'open' }));
    },
  };
}
