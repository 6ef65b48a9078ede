// The check run of a review: conclusion, title, a short summary, the full markdown as text, and
// annotations at file:line. Pure: the same report always gives the same check. Summary and text are
// markdown (names escaped); titles and annotations are plain text on GitHub.
import { formatEvidence } from '../../../model/evidence.js';
import type { ReviewReport } from '../../../model/review.js';
import type { CheckAnnotation, CheckConclusion, CommitStatusInput } from '../../../ports/github.js';
import { escapeMarkdown } from '../markdown.js';
import { foldLongSections } from './fold.js';
import { GITHUB_LIMITS, fitLine, fitMarkdown, fitText, truncationNote } from './limits.js';

/** A static error or warning found outside the ReviewReport (e.g. Nomad job validation). */
export interface StaticIssue {
  file: string;
  line: number;
  endLine?: number;
  level: 'failure' | 'warning' | 'notice';
  message: string;
  title?: string;
}

/** Everything a check run (or its status fallback) shows. */
export interface CheckContent {
  name: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
  detailsUrl?: string;
}

export interface ReviewCheckOptions {
  /** Default `steward`. */
  name?: string;
  fullReportUrl?: string;
  issues?: StaticIssue[];
  /** How a risky label concludes the PR's check (default `neutral`: it merges, then waits for approval). */
  riskyConclusion?: CheckConclusion;
}

const LEVEL_ORDER = { failure: 0, warning: 1, notice: 2 } as const;

/** Annotations for head-revision build errors (per host and flake-wide), reasons that cite file:line, and static issues. */
export function buildAnnotations(report: ReviewReport, issues: StaticIssue[] = []): CheckAnnotation[] {
  const out: CheckAnnotation[] = [];
  for (const host of report.changeSet.hosts) {
    const error = host.error;
    // Base-revision errors point at lines of the old files: not annotatable on this commit.
    if (!error || error.revision !== 'head' || !error.file || !error.line) continue;
    out.push({ path: error.file, startLine: error.line, endLine: error.line, level: 'failure', title: `${host.host}: nix ${error.phase} failed`, message: error.lines.join('\n') || `nix ${error.phase} failed` });
  }
  for (const error of report.changeSet.errors) {
    if (error.revision !== 'head' || !error.file || !error.line) continue;
    out.push({ path: error.file, startLine: error.line, endLine: error.line, level: 'failure', title: `${error.host ?? 'flake'}: nix ${error.phase} failed`, message: error.lines.join('\n') || `nix ${error.phase} failed` });
  }
  for (const reason of report.verdict.rules.reasons) {
    if (reason.label === 'clean') continue;
    for (const evidence of reason.evidence) {
      if (!evidence.file || !evidence.line) continue;
      out.push({
        path: evidence.file,
        startLine: evidence.line,
        endLine: evidence.line,
        level: reason.label === 'risky' ? 'warning' : 'notice',
        title: `${reason.label}: ${reason.ruleId}`,
        message: `${reason.message}\n(${formatEvidence(evidence)})`,
      });
    }
  }
  for (const issue of issues) {
    out.push({ path: issue.file, startLine: issue.line, endLine: issue.endLine ?? issue.line, level: issue.level, message: issue.message, ...(issue.title ? { title: issue.title } : {}) });
  }
  const seen = new Set<string>();
  return out
    .filter((a) => {
      const key = `${a.path}:${a.startLine}:${a.level}:${a.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((a) => ({ ...a, path: a.path.replace(/^\.\//, ''), message: fitText(a.message, GITHUB_LIMITS.annotationMessage), ...(a.title ? { title: fitLine(a.title, 255) } : {}) }))
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.path.localeCompare(b.path) || a.startLine - b.startLine);
}

function reviewConclusion(report: ReviewReport, annotations: CheckAnnotation[], riskyConclusion: CheckConclusion): CheckConclusion {
  if (report.outcome === 'build-failed' || annotations.some((a) => a.level === 'failure')) return 'failure';
  if (report.label === 'risky') return riskyConclusion;
  return 'success';
}

function reviewTitle(report: ReviewReport, failed: boolean): string {
  const changed = report.changeSet.hosts.filter((h) => h.status !== 'unchanged').length;
  const what = report.outcome === 'build-failed' ? 'build failed: nothing would be deployed' : failed ? 'static validation failed: nothing would be deployed' : `${report.label}`;
  const review = report.verdict.reviewed ? '' : ' (rules only, unreviewed)';
  return `${what}${review} · ${changed} host${changed === 1 ? '' : 's'} changed`;
}

/** A few lines for the check's summary box; the full markdown goes into `text`. */
export function buildReviewSummary(report: ReviewReport): string {
  const lines = [
    `**Label: \`${report.label}\`** (decided by ${report.verdict.decidedBy}${report.verdict.reviewed ? ', reviewed by the LLM' : ', rules only'}) · analysis level: ${report.level}`,
    '',
    `Base \`${report.base.slice(0, 12)}\` → head \`${report.head.slice(0, 12)}\``,
  ];
  const hosts = Object.entries(report.verdict.rules.hosts).filter(([, label]) => label !== 'clean');
  if (hosts.length > 0) lines.push('', `Hosts: ${hosts.map(([host, label]) => `${escapeMarkdown(host)} (${label})`).join(', ')}`);
  const reasons = report.verdict.rules.reasons.filter((r) => r.label !== 'clean');
  if (reasons.length > 0) {
    lines.push('', 'Reasons:');
    for (const r of reasons.slice(0, 10)) lines.push(`- \`${r.label}\` ${escapeMarkdown(r.message)}`);
    if (reasons.length > 10) lines.push(`- … and ${reasons.length - 10} more in the report`);
  }
  return lines.join('\n');
}

export function buildReviewCheck(report: ReviewReport, markdown: string, options: ReviewCheckOptions = {}): CheckContent {
  const annotations = buildAnnotations(report, options.issues);
  const conclusion = reviewConclusion(report, annotations, options.riskyConclusion ?? 'neutral');
  const note = truncationNote(options.fullReportUrl);
  return {
    name: options.name ?? 'steward',
    conclusion,
    title: fitLine(reviewTitle(report, conclusion === 'failure'), GITHUB_LIMITS.checkTitle),
    summary: fitMarkdown(buildReviewSummary(report), GITHUB_LIMITS.checkText, note),
    text: fitMarkdown(foldLongSections(markdown), GITHUB_LIMITS.checkText, note),
    annotations,
    ...(options.fullReportUrl ? { detailsUrl: options.fullReportUrl } : {}),
  };
}

// A held commit waits for a human: `pending` says so where a status is all there is.
const STATUS_OF: Record<CheckConclusion, CommitStatusInput['state']> = {
  success: 'success',
  neutral: 'success',
  skipped: 'success',
  action_required: 'pending',
  failure: 'failure',
  timed_out: 'failure',
  cancelled: 'error',
};

/** The commit status that stands in for a check run where the token cannot create one. */
export function buildStatusFromCheck(content: CheckContent): CommitStatusInput {
  const state = STATUS_OF[content.conclusion];
  return {
    state,
    context: content.name,
    description: fitLine(content.title, GITHUB_LIMITS.statusDescription),
    ...(content.detailsUrl ? { targetUrl: content.detailsUrl } : {}),
  };
}
