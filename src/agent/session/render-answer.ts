// Renders a session's record for people: the CLI's text output and the escalation's markdown body.
// Model text is shown as what it is (the model's words), after redaction by the caller.
import type { SessionRecord } from '../../ports/session-runner.js';
import { codeSpan, escapeMarkdown as md } from '../../stages/report/markdown.js';
import type { SessionContext } from './context/bundle.js';

export function renderSessionText(record: SessionRecord): string {
  const lines: string[] = [];
  const mode = record.mode === 'rules-only' ? 'rules-only triage (no model)' : 'Claude Code investigation';
  lines.push(`Session ${record.id} (${record.goal}, ${mode})`);
  if (record.answer) {
    lines.push('', record.answer.summary, '');
    for (const f of record.answer.findings) {
      lines.push(`- [${f.severity}] ${f.title}${f.detail ? `: ${f.detail}` : ''}`);
      for (const e of f.evidence) lines.push(`    ${e.source} ${e.ref}${e.excerpt ? `: ${e.excerpt.split('\n')[0]}` : ''}`);
    }
    lines.push('', `confidence: ${record.answer.confidence}`);
  } else {
    lines.push('', `No answer: ${record.noAnswer?.reason ?? 'unknown'}: ${record.noAnswer?.detail ?? ''}`);
  }
  if (record.actions.length) {
    lines.push('', 'Actions:');
    for (const a of record.actions) lines.push(`- #${a.id} ${a.action} ${a.target}: ${a.status} (${a.detail})`);
  }
  if (record.escalated) lines.push('', `Escalated: ${record.answer?.escalate.reason || record.noAnswer?.detail || 'a person is needed'}`);
  for (const n of record.notifications) lines.push(`notified via ${n.channel}: ${n.status}${n.url ? ` ${n.url}` : ''}`);
  const s = record.stats;
  lines.push('', `context ${s.contextTokens} tokens, ${s.toolCalls} tool calls${s.turns !== null ? `, ${s.turns} turns` : ''}${s.costUsd !== null ? `, $${s.costUsd.toFixed(4)}` : ''}, ${(s.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

export function renderEscalation(record: SessionRecord, context: SessionContext | null): string {
  const parts: string[] = [];
  parts.push(`**Session** ${codeSpan(record.id)} (${record.goal}, ${record.mode === 'rules-only' ? 'rules-only triage, no model' : 'Claude Code'})`);
  if (record.answer) {
    parts.push(`**Summary** (${record.answer.confidence} confidence): ${md(record.answer.summary)}`);
    if (record.answer.escalate.reason) parts.push(`**Why a person is needed:** ${md(record.answer.escalate.reason)}`);
    if (record.answer.findings.length) {
      parts.push('**Findings**');
      parts.push(record.answer.findings.map((f) => `- **${f.severity}** ${md(f.title)}: ${md(f.detail)}${f.evidence.length ? `\n  - evidence: ${f.evidence.map((e) => `${e.source} ${codeSpan(e.ref)}`).join(', ')}` : ''}`).join('\n'));
    }
  } else if (record.noAnswer) {
    parts.push(`**No answer** (${md(record.noAnswer.reason)}): ${md(record.noAnswer.detail)}`);
  }
  if (record.actions.length) parts.push(`**Actions**\n${record.actions.map((a) => `- #${a.id} ${a.action} ${codeSpan(a.target)}: ${a.status}: ${md(a.detail)}`).join('\n')}`);
  const missing = context ? (['hosts', 'nomad', 'consul', 'deploys', 'commits', 'knowledge'] as const).filter((k) => context[k].status === 'missing') : [];
  if (missing.length) parts.push(`**Not checked:** ${missing.join(', ')}`);
  return parts.join('\n\n');
}
