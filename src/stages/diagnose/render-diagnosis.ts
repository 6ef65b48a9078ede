// The diagnosis in words (pure): one line for the deploy's note and `history`, a markdown section
// for the PR comment, the check run and notifications. Everything a host, a job or the model
// wrote is escaped (report/markdown.ts): it renders as the text it is, never as markdown.
import type { DiagnosisDecision } from '../../model/deploy-failure.js';
import { formatEvidence } from '../../model/evidence.js';
import { codeBlock, codeSpan, escapeMarkdown, oneLine } from '../report/markdown.js';

const CHOSEN_BY: Record<DiagnosisDecision['chosenBy'], string> = { knowledge: 'knowledge', 'no-knowledge': 'no knowledge', llm: 'Claude Code' };

/** `host nas: mount.remount-refused -> boot-and-reboot (knowledge): verified, ...`. */
export function renderDiagnosisLine(d: DiagnosisDecision): string {
  const target = `${d.failure.target.kind} ${d.failure.target.name}`;
  const refused = d.refused ? ` (${d.proposed} refused: ${d.refused})` : '';
  return `diagnosis ${target}: ${d.signature} -> ${d.strategy}${refused} [${CHOSEN_BY[d.chosenBy]}]: ${d.outcome}${d.detail ? `, ${d.detail}` : ''}`;
}

export function renderDiagnosisMarkdown(decisions: DiagnosisDecision[]): string[] {
  if (decisions.length === 0) return [];
  const out = ['### What failed, and what Steward did', ''];
  for (const d of decisions) {
    out.push(`**${escapeMarkdown(`${d.failure.target.kind} ${d.failure.target.name}`)}**: ${codeSpan(d.signature)}: ${escapeMarkdown(d.failure.summary)}`, '');
    out.push(`- Strategy: ${codeSpan(d.strategy)}, chosen by ${CHOSEN_BY[d.chosenBy]}${d.source ? ` (${codeSpan(d.source)})` : ''}: ${escapeMarkdown(d.why)}`);
    if (d.refused) out.push(`- ${codeSpan(d.proposed)} was refused: ${escapeMarkdown(d.refused)}`);
    out.push(`- Outcome: **${d.outcome}**${d.detail ? `: ${escapeMarkdown(d.detail)}` : ''}`);
    if (d.failure.evidence.length) out.push('', '<details><summary>Evidence</summary>', '', ...codeBlock(d.failure.evidence.slice(0, 12).map((e) => oneLine(formatEvidence(e)))), '', '</details>');
    out.push('');
  }
  return out;
}
