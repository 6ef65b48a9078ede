// The dashboard issue (Renovate's "Dependency Dashboard"): the proposals open now and the topics
// a person closed, which Steward will not propose again. Rendered pure; kept in one issue.
import type { IgnoredProposal, ProposalStore } from '../../ports/proposal-store.js';
import type { ProposalDashboardPort } from '../../ports/proposal-dashboard.js';
import { codeSpan, escapeMarkdown } from '../../stages/report/markdown.js';
import type { ProposalOutcome } from './run-propose.js';

export const DASHBOARD_TITLE = 'Steward proposals dashboard';
const OPEN_RESULTS = new Set(['opened', 'updated', 'unchanged', 'human-edited']);

export function renderDashboard(outcomes: ProposalOutcome[], ignored: IgnoredProposal[]): string {
  const open = outcomes.filter((o) => OPEN_RESULTS.has(o.result) && o.prNumber !== undefined);
  const waiting = outcomes.filter((o) => o.result === 'capped');
  const lines = ['<!-- steward:proposals-dashboard -->', 'What `steward propose` proposes. Close a proposal PR to ignore it for good.', '', '## Open'];
  lines.push(...(open.length ? open.map((o) => `- #${o.prNumber} ${codeSpan(o.topic)}: ${escapeMarkdown(o.title)}${o.result === 'human-edited' ? ' (taken over by a person)' : ''}`) : ['None.']));
  lines.push('', '## Waiting (caps reached)');
  lines.push(...(waiting.length ? waiting.map((o) => `- ${codeSpan(o.topic)}: ${escapeMarkdown(o.title)}`) : ['None.']));
  lines.push('', '## Ignored (closed without merge)');
  lines.push(...(ignored.length ? ignored.map((i) => `- ${codeSpan(i.topic)}: ${escapeMarkdown(i.title)} (#${i.prNumber})`) : ['None.']));
  return lines.join('\n');
}

/** Creates the dashboard issue once (its number kept in the store), then edits it each run. */
export async function updateDashboard(dashboard: ProposalDashboardPort, store: ProposalStore, outcomes: ProposalOutcome[]): Promise<number> {
  const body = renderDashboard(outcomes, store.ignored());
  const known = store.dashboardIssue();
  if (known !== null) {
    await dashboard.update(known, DASHBOARD_TITLE, body);
    return known;
  }
  const created = await dashboard.create(DASHBOARD_TITLE, body);
  store.setDashboardIssue(created);
  return created;
}
