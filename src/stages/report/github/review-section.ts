// The `review` section of the sticky PR comment: which commit it is about, the verdict line, and
// the rendered report with long sections folded.
import type { ReviewReport } from '../../../model/review.js';
import { escapeMarkdown } from '../markdown.js';
import { foldLongSections } from './fold.js';

export interface ReviewSectionOptions {
  checkUrl?: string | null;
  runUrl?: string;
}

const BADGE: Record<ReviewReport['label'], string> = { clean: '🟢', 'needs-reboot': '🟡', risky: '🔴' };

export function renderReviewSection(report: ReviewReport, markdown: string, options: ReviewSectionOptions = {}): string {
  const verdict =
    report.outcome === 'build-failed'
      ? '❌ **build failed**: nothing would be deployed'
      : report.outcome === 'validation-failed'
        ? '❌ **static validation failed**: nothing would be deployed'
        : `${BADGE[report.label]} **${report.label}**${report.label === 'risky' ? ': after merge, deploying waits for an approval PR' : ''}${report.level === 'diff' || report.changeSet.levelNote ? ` — ${escapeMarkdown(report.changeSet.levelNote ?? 'diff only')}` : ''}`;
  const links = [options.checkUrl ? `[check](${options.checkUrl})` : null, options.runUrl ? `[workflow run](${options.runUrl})` : null].filter(Boolean);
  const footer = `<sub>Steward review of \`${report.head.slice(0, 12)}\` against \`${report.base.slice(0, 12)}\`${links.length ? ` · ${links.join(' · ')}` : ''}. This comment is edited in place on every run.</sub>`;
  // The report's own title line says the same thing less precisely for a PR: ours replaces it.
  const body = markdown.trim().replace(/^## Steward:[^\n]*\n+/, '');
  return [`## Steward: ${verdict}`, '', foldLongSections(body), '', footer].join('\n');
}
