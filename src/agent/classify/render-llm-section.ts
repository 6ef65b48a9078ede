// The LLM part of the markdown report: both verdicts and which decided, the model's reasoning,
// blast radius, deploy plan and checks (pure). Model text is untrusted: it is made inert here.
import type { LlmReview } from './answer-schema.js';
import { formatLlmEvidence } from './evidence-index.js';
import { codeSpan, escapeMarkdown } from '../../stages/report/markdown.js';
import { sanitiseInline } from './sanitize.js';

/** Model output in a PR comment: no hidden comments (the sticky marker), no HTML, links or @mentions. */
export function inertMarkdown(text: string): string {
  return escapeMarkdown(sanitiseInline(text));
}

const DECIDED = {
  rules: 'the rules (the floor)',
  llm: 'Claude Code (escalation)',
  'review-required': 'policy: review is required but none was obtained',
} as const;

const NO_ANSWER_TEXT: Record<string, string> = {
  disabled: 'LLM review is off',
  unavailable: 'Claude Code is not available',
  timeout: 'Claude Code timed out',
  'api-error': 'the API returned an error',
  'max-turns': 'the session hit its turn limit',
  'max-budget': 'the session hit its budget limit',
  'no-structured-output': 'Claude Code answered without the structured answer',
  'invalid-answer': 'the answer did not match the schema',
  'malformed-output': 'the CLI output could not be read',
  failed: 'the session failed',
};

function verdictTable(llm: LlmReview): string[] {
  const confidence = llm.answer ? ` (confidence ${llm.answer.confidence.toFixed(2)})` : '';
  const llmCell = llm.llmLabel ? `\`${llm.llmLabel}\`${confidence}` : `none: ${NO_ANSWER_TEXT[llm.noAnswer?.reason ?? 'failed'] ?? 'no answer'}`;
  return [
    '| verdict | label |',
    '|---|---|',
    `| Rules | \`${llm.rulesLabel}\` |`,
    `| Claude Code | ${llmCell} |`,
    `| **Final** | **\`${llm.finalLabel}\`**, decided by ${DECIDED[llm.decidedBy]} |`,
  ];
}

function footer(llm: LlmReview): string {
  const parts = [llm.model ? `model ${inertMarkdown(llm.model)}` : '', llm.cached ? 'cached answer, no new call' : ''];
  if (llm.costUsd !== null) parts.push(llm.cached ? `first run cost $${llm.costUsd.toFixed(4)}` : `$${llm.costUsd.toFixed(4)}`);
  if (llm.usage) parts.push(`${llm.usage.inputTokens} in / ${llm.usage.outputTokens} out tokens`);
  if (llm.prompt.chars) parts.push(`prompt ${llm.prompt.chars} chars (~${llm.prompt.estimatedTokens} tokens, ${llm.prompt.hunksIncluded} hunks shown, ${llm.prompt.hunksOmitted} omitted)`);
  parts.push(`${(llm.durationMs / 1000).toFixed(1)} s`);
  if (llm.permissionDenials.length) parts.push(`${llm.permissionDenials.length} tool calls denied`);
  return `<sub>${parts.filter(Boolean).join(' · ')}</sub>`;
}

function answerSection(llm: LlmReview): string[] {
  const a = llm.answer;
  if (!a) return [];
  const out = ['', `**Reasoning.** ${inertMarkdown(a.summary)}`];
  if (a.reasons.length) {
    out.push('', '**Reasons**');
    for (const r of a.reasons) out.push(`- \`${r.label}\` ${inertMarkdown(r.message)} (${r.evidence.map((e) => inertMarkdown(formatLlmEvidence(e))).join('; ')})`);
  }
  if (llm.unsupportedEscalation) out.push('', '> [!WARNING]', '> Claude Code escalated the label without a verified reason: treat it as a request for a human look.');
  const b = a.blastRadius;
  const reach = [b.hosts.length ? `hosts: ${b.hosts.map(inertMarkdown).join(', ')}` : '', b.jobs.length ? `jobs: ${b.jobs.map(inertMarkdown).join(', ')}` : '', b.services.length ? `services: ${b.services.map(inertMarkdown).join(', ')}` : ''];
  out.push('', `**Blast radius.** ${[...reach.filter(Boolean), inertMarkdown(b.description)].filter(Boolean).join('; ')}`);
  const p = a.deployPlan;
  out.push('', `**Deploy plan.** ${p.hostOrder.length ? `order: ${p.hostOrder.map(inertMarkdown).join(' → ')}; ` : ''}reboot: \`${p.rebootStrategy}\`${p.notes ? `. ${inertMarkdown(p.notes)}` : ''}`);
  if (a.extraChecks.length) {
    out.push('', '**Extra checks**');
    for (const c of a.extraChecks) out.push(`- ${c.host ? `${inertMarkdown(c.host)}: ` : ''}${inertMarkdown(c.description)}${c.command ? ` (${codeSpan(sanitiseInline(c.command))})` : ''}`);
  }
  return out;
}

function droppedSection(llm: LlmReview): string[] {
  if (!llm.droppedReasons.length && !llm.droppedNames.length) return [];
  const out = ['', `<details><summary>Dropped: ${llm.droppedReasons.length} ${llm.droppedReasons.length === 1 ? 'reason' : 'reasons'} citing evidence that is not in the change</summary>`, ''];
  for (const d of llm.droppedReasons) out.push(`- \`${d.reason.label}\` ${inertMarkdown(d.reason.message)}: ${d.problems.map(inertMarkdown).join('; ')}`);
  if (llm.droppedNames.length) out.push(`- names removed from the blast radius / host order: ${llm.droppedNames.map(inertMarkdown).join(', ')}`);
  return [...out, '', '</details>'];
}

export function renderLlmSection(llm: LlmReview): string {
  const out = ['### LLM review (Claude Code)', '', ...verdictTable(llm)];
  if (llm.status !== 'answered') {
    const detail = llm.noAnswer?.detail ? `: ${inertMarkdown(llm.noAnswer.detail)}` : '';
    const outcome = llm.decidedBy === 'review-required' ? 'Review is required, so the change is held as **risky**.' : "The rules' verdict stands, **unreviewed**.";
    out.push('', `No LLM review (${NO_ANSWER_TEXT[llm.noAnswer?.reason ?? 'failed'] ?? 'no answer'}${detail}). ${outcome}`);
  }
  out.push(...answerSection(llm), ...droppedSection(llm), '', footer(llm));
  return out.join('\n');
}
