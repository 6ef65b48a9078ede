// The deploy report as markdown (the terminal output of `steward deploy`, the job summary and
// the check run text): per commit, what happened to every target, the checks and the reasons.
import { formatEvidence } from '../../model/evidence.js';
import { codeSpan, escapeMarkdown as esc, tableCell } from '../report/markdown.js';
import { renderDiagnosisMarkdown } from '../diagnose/render-diagnosis.js';
import type { CheckResult, CommitRecord, DeployReport, TargetRecord } from '../../model/deploy-record.js';

const ICON: Record<TargetRecord['result'], string> = { verified: '✅', deployed: '🟢', 'rolled-back': '⏪', held: '⏸️', skipped: '⏭️', failed: '❌' };

// Names, messages and tool output are untrusted: escaped by markdown.ts.
const cell = (text: string) => tableCell(esc(text));

export function renderTargets(targets: TargetRecord[]): string[] {
  if (targets.length === 0) return [];
  return ['| target | result | action | details |', '|---|---|---|---|', ...targets.map((t) => `| ${t.kind} ${tableCell(codeSpan(t.name))} | ${ICON[t.result]} ${t.result} | ${cell(t.action)} | ${cell(t.message)} |`)];
}

export function renderChecks(title: string, checks: CheckResult[]): string[] {
  if (checks.length === 0) return [];
  return [`**${title}**`, '', ...checks.map((c) => `- ${c.ok ? '✓' : '✗'} ${c.target ? `${esc(c.target)}: ` : ''}${esc(c.name)}: ${esc(c.detail)}`), ''];
}

function renderCommit(commit: CommitRecord): string[] {
  const phase = commit.failedPhase ? ` in phase ${commit.failedPhase}` : '';
  const lines = [`## \`${commit.head.slice(0, 12)}\` — ${commit.outcome}${phase} (${commit.label}${commit.approved ? ', approved' : ''})`, '', esc(commit.note), ''];
  if (commit.approvalUrl) lines.push(`Approval: ${commit.approvalUrl} (merge to approve exactly this commit, close to reject)`, '');
  lines.push(...renderTargets(commit.targets), '');
  lines.push(...renderDiagnosisMarkdown(commit.diagnoses ?? []));
  lines.push(...renderChecks('Pre-flight', commit.preflight));
  const verification = commit.targets.flatMap((t) => t.verification.map((c) => ({ ...c, target: c.target ?? `${t.kind} ${t.name}` })));
  lines.push(...renderChecks('Verification', verification));
  lines.push(...renderChecks('Invariants', commit.invariants));
  const reasons = commit.reasons.filter((r) => r.ruleId !== 'summary.no-effect');
  if (reasons.length > 0) {
    lines.push('**Why this label**', '');
    for (const r of reasons.slice(0, 12)) lines.push(`- \`${r.label}\` ${esc(r.message)}${r.evidence.length ? ` — ${esc(r.evidence.slice(0, 3).map(formatEvidence).join('; '))}` : ''}`);
    if (reasons.length > 12) lines.push(`- … and ${reasons.length - 12} more`);
    lines.push('');
  }
  const t = commit.timings;
  if (t.totalMs > 0) lines.push(`<sub>review ${ms(t.reviewMs)}, pre-flight ${ms(t.preflightMs)}, prepare ${ms(t.prepareMs)}, hosts ${ms(t.hostsMs)}, jobs ${ms(t.jobsMs)}; total ${ms(t.totalMs)}. Bases: ${commit.bases.map((b) => b.slice(0, 12)).join(', ') || 'none'}.</sub>`, '');
  return lines;
}

export function renderDeployMarkdown(report: DeployReport): string {
  const lines = [`# Steward deploy of \`${report.head.slice(0, 12)}\`: ${report.outcome}${report.dryRun ? ' (dry run)' : ''}`, ''];
  if (report.recovered.length > 0) lines.push('## Settled from an interrupted run', '', ...renderTargets(report.recovered), '');
  for (const commit of report.commits) lines.push(...renderCommit(commit));
  if (report.reboots.length > 0) lines.push('## Reboots', '', ...renderTargets(report.reboots), '', ...renderChecks('Verification', report.reboots.flatMap((t) => t.verification)));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
