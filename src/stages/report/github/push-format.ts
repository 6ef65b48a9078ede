// What a push did, target by target, as the PR comment section and the commit's check show it.
// PushOutcome is generic on purpose: the deploy executor maps its records onto it.
import { z } from 'zod';
import { TargetResult } from '../../../model/deploy-record.js';
import { Label } from '../../../model/label.js';
import type { CheckConclusion } from '../../../ports/github.js';
import type { CheckContent } from './check-format.js';
import { codeSpan, escapeMarkdown, tableCell } from '../markdown.js';
import { foldLongSections } from './fold.js';
import { GITHUB_LIMITS, fitLine, fitMarkdown, truncationNote } from './limits.js';

export { TargetResult };

export const TargetOutcome = z
  .object({
    kind: z.enum(['host', 'job']),
    name: z.string().min(1),
    result: TargetResult,
    /** One line: what happened and why (e.g. "switch failed: exit 4; rolled back to generation 41"). */
    message: z.string(),
  })
  .strict();
export type TargetOutcome = z.infer<typeof TargetOutcome>;

export const PushOutcome = z
  .object({
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    label: Label,
    targets: z.array(TargetOutcome),
    /** The approval PR when the commit is held. */
    approvalUrl: z.string().optional(),
    /** A sentence for the top of the section (e.g. "build failed: nothing deployed"). */
    note: z.string().optional(),
    /**
     * How the commit stopped as a whole, before any target was acted on: refused (older than what
     * runs, or a known bad commit), held for approval, or failed (build, validation). Without it a
     * commit with no target rows would read as a success.
     */
    stopped: z.enum(['refused', 'held', 'failed']).optional(),
  })
  .strict();
export type PushOutcome = z.infer<typeof PushOutcome>;

const ICON: Record<TargetResult, string> = {
  verified: '✅',
  deployed: '🟢',
  'rolled-back': '⏪',
  held: '⏸️',
  skipped: '⏭️',
  failed: '❌',
};

/** Failure beats a hold, a hold beats a refusal, a refusal beats success; nothing at all to do is `success`. */
export function pushConclusion(outcome: PushOutcome): CheckConclusion {
  const results = new Set(outcome.targets.map((t) => t.result));
  if (results.has('failed') || results.has('rolled-back') || outcome.stopped === 'failed') return 'failure';
  if (results.has('held') || outcome.stopped === 'held') return 'action_required';
  // Nothing was done, on purpose: not a success (nothing is live), not a failure (nothing broke).
  if (outcome.stopped === 'refused') return 'neutral';
  if ([...results].every((r) => r === 'skipped')) return outcome.targets.length === 0 ? 'success' : 'skipped';
  return 'success';
}

export function pushTitle(outcome: PushOutcome): string {
  const counts = new Map<TargetResult, number>();
  for (const t of outcome.targets) counts.set(t.result, (counts.get(t.result) ?? 0) + 1);
  const parts = TargetResult.options.filter((r) => counts.has(r)).map((r) => `${counts.get(r)} ${r}`);
  return `${outcome.label}: ${parts.length > 0 ? parts.join(', ') : 'nothing to deploy'}`;
}

/** Table cells are one line; `|` would end the cell. Messages carry names and tool output. */
function cell(text: string): string {
  return tableCell(escapeMarkdown(fitLine(text, 500)));
}

/** The `deploy` section of the sticky PR comment. */
export function renderPushSection(outcome: PushOutcome, options: { runUrl?: string } = {}): string {
  const lines = [`### Steward deploy of \`${outcome.sha.slice(0, 12)}\` — ${pushTitle(outcome)}`];
  if (outcome.note) lines.push('', escapeMarkdown(outcome.note));
  if (outcome.approvalUrl) lines.push('', `⏸️ Held for approval: merge ${outcome.approvalUrl} to approve exactly this commit, close it to reject.`);
  if (outcome.targets.length > 0) {
    lines.push('', '| target | result | details |', '|---|---|---|');
    for (const t of outcome.targets) lines.push(`| ${t.kind} ${tableCell(codeSpan(fitLine(t.name, 200)))} | ${ICON[t.result]} ${t.result} | ${cell(t.message)} |`);
  }
  if (options.runUrl) lines.push('', `<sub>[workflow run](${options.runUrl})</sub>`);
  return lines.join('\n');
}

/** The push's check: the section as summary, the run's full markdown (if any) as text. */
export function buildPushCheck(outcome: PushOutcome, markdown: string | undefined, options: { name?: string; fullReportUrl?: string } = {}): CheckContent {
  const note = truncationNote(options.fullReportUrl);
  // GitHub wants a details_url with action_required: the approval PR is where the action is.
  const detailsUrl = outcome.approvalUrl ?? options.fullReportUrl;
  const conclusion = pushConclusion(outcome);
  return {
    name: options.name ?? 'steward',
    conclusion: conclusion === 'action_required' && !detailsUrl ? 'neutral' : conclusion,
    title: fitLine(pushTitle(outcome), GITHUB_LIMITS.checkTitle),
    summary: fitMarkdown(renderPushSection(outcome), GITHUB_LIMITS.checkText, note),
    ...(markdown ? { text: fitMarkdown(foldLongSections(markdown), GITHUB_LIMITS.checkText, note) } : {}),
    annotations: [],
    ...(detailsUrl ? { detailsUrl } : {}),
  };
}
