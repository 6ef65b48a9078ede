// The review as markdown: a summary line with the label, a per-host table, the reasons with their
// evidence, and the details folded. Used on stdout, in PR comments and in job summaries.
// Every name and message from the repository goes through markdown.ts (escaped or a code span).
import type { Evidence, Reason } from '../../model/evidence.js';
import { mostSevere, type Label } from '../../model/label.js';
import type { ReviewReport } from '../../model/review.js';
import { codeBlock, codeSpan, escapeMarkdown as esc, tableCell } from './markdown.js';
import { detailHost, summarizeHost } from './summarize-host.js';
import { detailJob, summarizeJob, summarizePlan } from './summarize-job.js';

const BADGE: Record<Label, string> = { clean: '🟢 clean', 'needs-reboot': '🟡 needs-reboot', risky: '🔴 risky' };

export interface RenderOptions {
  /** Extra markdown sections (e.g. the LLM review, Nomad jobs) inserted before the details. */
  sections?: string[];
}

export function renderReviewMarkdown(report: ReviewReport, options: RenderOptions = {}): string {
  const cs = report.changeSet;
  const changed = cs.hosts.filter((h) => h.status !== 'unchanged');
  const out: string[] = [];
  const failure = { reviewed: '', 'build-failed': ' — build failed, nothing would be deployed', 'validation-failed': ' — static validation failed, nothing would be deployed' }[report.outcome];
  // The first line says the level and why ("clean" means less without a build); a build-level
  // report without a note (deploy, older callers) reads as before.
  const diffOnly = (report.level === 'diff' || cs.levelNote) && !failure ? ` — ${esc(cs.levelNote ?? 'diff only')}` : '';
  out.push(`## Steward: ${BADGE[report.label]}${failure}${diffOnly}`);
  out.push('');
  const level =
    report.level === 'build'
      ? `build level (${esc(report.stats.nix ?? 'nix')})`
      : report.level === 'eval'
        ? `evaluation level (${esc(report.stats.nix ?? 'nix')}, nothing built)`
        : `**${esc(cs.levelNote ?? 'diff only')}**`;
  const verdict =
    report.verdict.decidedBy === 'review-required'
      ? '**held: no LLM review while review is required**'
      : report.verdict.reviewed
        ? `decided by ${report.verdict.decidedBy === 'llm' ? 'the LLM review (escalated)' : 'the rules'}, reviewed by an LLM`
        : 'rules verdict, not reviewed by an LLM';
  const jobs = cs.jobs.length > 0 ? ` · ${cs.jobs.length} job${cs.jobs.length === 1 ? '' : 's'} change` : '';
  out.push(`\`${report.base.slice(0, 12)}..${report.head.slice(0, 12)}\` · ${level} · ${changed.length} of ${cs.hosts.length} host${cs.hosts.length === 1 ? '' : 's'} change${jobs} · ${verdict}`);
  out.push('');

  for (const error of cs.errors) out.push(`> **${error.phase === 'eval' ? 'Evaluation' : 'Build'} failed at ${error.revision}**${error.file ? ` in ${codeSpan(`${error.file}${error.line ? `:${error.line}` : ''}`)}` : ''}`, '', ...codeBlock(error.lines), '');

  if (cs.hosts.length > 0 && changed.length === 0) {
    out.push(`No host changes (${cs.hosts.map((h) => esc(h.host)).join(', ')}).`, '');
  } else if (cs.hosts.length > 0) {
    out.push('| host | roles | label | what changes |', '|---|---|---|---|');
    for (const h of cs.hosts) {
      const diffLevel = report.level === 'diff' && h.status === 'changed';
      const label = diffLevel ? mostSevere(report.verdict.rules.hosts[h.host] ?? 'clean', sharedLabel(report)) : (report.verdict.rules.hosts[h.host] ?? 'clean');
      const what = diffLevel ? diffLevelSummary(cs, h.host) : summarizeHost(h);
      out.push(`| ${tableCell(esc(h.host))} | ${tableCell(esc(h.roles.join(', '))) || '—'} | ${h.status === 'unchanged' ? '—' : label} | ${tableCell(esc(what))} |`);
    }
    out.push('');
  }

  if (cs.jobs.length > 0) {
    out.push('| job | label | what changes | live plan |', '|---|---|---|---|');
    for (const j of cs.jobs) out.push(`| ${tableCell(esc(j.job))} | ${report.verdict.rules.jobs[j.job] ?? 'clean'} | ${tableCell(esc(summarizeJob(j)))} | ${tableCell(esc(summarizePlan(j.plan)))} |`);
    out.push('');
  }
  const errors = cs.jobFindings.filter((f) => f.severity === 'error');
  const warnings = cs.jobFindings.filter((f) => f.severity === 'warning');
  if (errors.length > 0) {
    out.push(`> **Static validation failed: ${errors.length} error${errors.length === 1 ? '' : 's'} in Nomad job files — nothing would be deployed**`, '');
    for (const f of errors) out.push(`- ${codeSpan(`${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`)} ${esc(f.code)}: ${esc(f.message)}`);
    out.push('');
  }

  const important = report.verdict.rules.reasons.filter((r) => r.label !== 'clean');
  const notes = report.verdict.rules.reasons.filter((r) => r.label === 'clean');
  if (important.length > 0) {
    out.push('### Why', '');
    for (const reason of important) out.push(...renderReason(reason));
    out.push('');
  }
  if (notes.length > 0) {
    out.push(important.length > 0 ? '### Also' : '### Why', '');
    for (const reason of notes) out.push(...renderReason(reason));
    out.push('');
  }

  for (const section of options.sections ?? []) out.push(section, '');

  // At diff level there is nothing per host beyond the options its files set (listed below).
  const detailed = report.level === 'diff' ? [] : changed.filter((h) => h.status !== 'removed');
  if (detailed.length > 0) {
    out.push(`<details><summary>Details per host (${detailed.length})</summary>`, '');
    for (const h of detailed) out.push(`#### ${esc(h.host)}`, '', ...detailHost(h), '');
    out.push('</details>', '');
  }
  if (cs.jobs.length > 0) {
    out.push(`<details><summary>Details per job (${cs.jobs.length})</summary>`, '');
    for (const j of cs.jobs) out.push(`#### ${esc(j.job)}`, '', ...detailJob(j), '');
    out.push('</details>', '');
  }
  if (warnings.length > 0) {
    out.push(`<details><summary>Job file warnings (${warnings.length})</summary>`, '');
    for (const f of warnings) out.push(`- ${codeSpan(`${f.file}:${f.line}`)} ${esc(f.code)}: ${esc(f.message)}`);
    out.push('', '</details>', '');
  }
  if (cs.repo.files.length > 0) {
    out.push(`<details><summary>Changed files (${cs.repo.files.length})</summary>`, '');
    for (const f of cs.repo.files) {
      const tags = [f.kind, f.cosmetic ? 'comments/formatting only' : '', f.hosts.length ? `host ${f.hosts.join(', ')}` : ''].filter(Boolean).join(', ');
      out.push(`- ${codeSpan(f.path)} ${f.status} (+${f.additions} −${f.deletions}; ${esc(tags)})`);
    }
    for (const i of cs.repo.inputs) out.push(`- flake input ${codeSpan(i.input)} ${i.change}: ${esc(i.from ?? '∅')} → ${esc(i.to ?? '∅')}`);
    out.push('', '</details>', '');
  }
  if (report.level === 'diff' && cs.repo.signals.length > 0) {
    out.push(`<details><summary>Changed options (${cs.repo.signals.length} lines)</summary>`, '');
    for (const s of cs.repo.signals.slice(0, 60)) out.push(`- ${codeSpan(`${s.file}:${s.line}`)} ${s.side === 'added' ? '+' : '−'} ${s.option ? codeSpan(s.option) : '(no option)'}${s.hosts.length ? ` (${esc(s.hosts.join(', '))})` : ''}`);
    if (cs.repo.signals.length > 60) out.push(`- …and ${cs.repo.signals.length - 60} more`);
    out.push('', '</details>', '');
  }
  const t = report.timings;
  out.push(
    `<sub>eval ${seconds(t.evalMs)} (${report.stats.evalProcesses} process${report.stats.evalProcesses === 1 ? '' : 'es'}${report.stats.baseFromCache ? ', base from cache' : ''}) · build ${seconds(t.buildMs)} (${report.stats.toplevelsBuilt} toplevels) · total ${seconds(t.totalMs)}</sub>`,
  );
  return `${out.join('\n').trimEnd()}\n`;
}

/** Diff level: the options a host's own files set, and whether shared files may reach it. */
function diffLevelSummary(cs: ReviewReport['changeSet'], host: string): string {
  const options = [...new Set(cs.repo.signals.filter((s) => s.hosts.includes(host)).map((s) => s.option || '(no option)'))];
  const shared = [...new Set(cs.repo.files.filter((f) => (f.kind === 'nix' || f.kind === 'lock') && !f.cosmetic && f.hosts.length === 0).map((f) => f.path))];
  const parts = [
    ...(options.length ? [`sets ${options.slice(0, 4).join(', ')}${options.length > 4 ? ` +${options.length - 4}` : ''}`] : []),
    ...(shared.length ? [`may be reached by shared ${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ' …' : ''}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'files changed';
}

/** Diff level: the label of the reasons no single host is cited for (shared files). */
function sharedLabel(report: ReviewReport): Label {
  return mostSevere(...report.verdict.rules.reasons.filter((r) => !r.evidence.some((e) => e.host)).map((r) => r.label));
}

function renderReason(reason: Reason): string[] {
  const lines = [`- **${reason.label}** ${codeSpan(reason.ruleId)} — ${esc(reason.message)}`];
  for (const e of reason.evidence) lines.push(`  - ${formatEvidenceMarkdown(e)}`);
  return lines;
}

/** Evidence for markdown: details can quote changed lines (untrusted), so they go in code spans. */
export function formatEvidenceMarkdown(e: Evidence): string {
  const parts: string[] = [];
  if (e.host) parts.push(`host ${esc(e.host)}`);
  if (e.job) parts.push(`job ${esc(e.job)}`);
  if (e.unit) parts.push(`unit ${codeSpan(e.unit)}`);
  if (e.file) parts.push(codeSpan(e.line ? `${e.file}:${e.line}` : e.file));
  if (e.signal) parts.push(esc(e.signal));
  if (e.detail) parts.push(codeSpan(e.detail));
  return parts.join(', ');
}

/** Kept for importers of the old location; the escaping lives in markdown.ts. */
export { codeSpan } from './markdown.js';

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
