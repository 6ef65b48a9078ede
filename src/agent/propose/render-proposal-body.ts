// The body of a proposal PR (pure): rationale, classification with its reasons, per-host and
// per-job changes, version changes. Names from the repository, registry or model are untrusted
// text and pass through the shared markdown escapes.
import type { ReviewReport } from '../../model/review.js';
import { codeSpan, escapeMarkdown, tableCell } from '../../stages/report/markdown.js';
import type { Proposal } from './proposal.js';

const BADGE = { clean: '🟢 clean', 'needs-reboot': '🟡 needs-reboot', risky: '🔴 risky' } as const;
/** The marker Steward finds its own PRs by, besides the branch name. */
export const PROPOSAL_MARKER = '<!-- steward:proposal -->';

export function renderProposalBody(proposal: Proposal, report: ReviewReport): string {
  const lines = [PROPOSAL_MARKER, `## Why`, '', proposal.rationale, ''];
  lines.push(`## Classification: ${BADGE[report.label]}`, '');
  const reasons = report.verdict.rules.reasons;
  if (reasons.length === 0) lines.push('No rule raised a concern.');
  for (const reason of reasons) lines.push(`- **${reason.label}** (${codeSpan(reason.ruleId)}): ${escapeMarkdown(reason.message)}`);
  lines.push('', `Analysis level: ${report.level}${report.changeSet.levelNote ? ` (${escapeMarkdown(report.changeSet.levelNote)})` : ''}.`, '');

  if (proposal.versionChanges.length > 0) {
    lines.push('## Version changes', '', '| What | From | To | Files |', '|---|---|---|---|');
    for (const v of proposal.versionChanges) {
      lines.push(`| ${tableCell(codeSpan(v.name))} | ${tableCell(codeSpan(v.from))} | ${tableCell(codeSpan(v.to))} | ${tableCell(v.paths.map(codeSpan).join(', '))} |`);
    }
    lines.push('');
  }

  const hosts = report.changeSet.hosts.filter((h) => h.status !== 'unchanged');
  lines.push('## Per host', '');
  if (hosts.length === 0) lines.push(`No host changes (${report.changeSet.hosts.length} evaluated).`);
  for (const host of hosts) {
    const packages = host.packages.map((p) => `${codeSpan(p.name)} ${codeSpan(p.from.join(', ') || '∅')} → ${codeSpan(p.to.join(', ') || '∅')}`);
    const units = host.units.map((u) => codeSpan(u.unit));
    lines.push(`- ${codeSpan(host.host)}: ${host.status}${packages.length ? `; packages ${packages.join('; ')}` : ''}${units.length ? `; units ${units.join(', ')}` : ''}`);
  }
  const jobs = report.changeSet.jobs;
  if (jobs.length > 0) {
    lines.push('', '## Nomad jobs', '');
    for (const job of jobs) {
      const images = job.images.map((i) => `${codeSpan(i.from ?? '∅')} → ${codeSpan(i.to ?? '∅')}`);
      lines.push(`- ${codeSpan(job.job)} (${job.change}${job.stateful ? ', stateful' : ''})${images.length ? `: ${images.join(', ')}` : ''}`);
    }
  }
  lines.push('', '---', `Proposed by \`steward propose\` (topic ${codeSpan(proposal.topic)}). Steward never merges proposals: a person does. Close this PR to ignore the topic for good; push to the branch to take it over (Steward then leaves it alone).`);
  return lines.join('\n');
}
