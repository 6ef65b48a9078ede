// GitHub's size limits, and trimming markdown to them without leaving a fold or a code fence open.
// Lengths are UTF-16 code units (never fewer than GitHub's characters), the job summary in bytes.

export const GITHUB_LIMITS = {
  /** Check run `output.summary` and `output.text`, each. */
  checkText: 65_535,
  /** Issue and pull request comment bodies; pull request bodies. */
  commentBody: 65_536,
  /** Annotations per check run request. */
  annotationsPerRequest: 50,
  /** One annotation's message. */
  annotationMessage: 65_535,
  /** Commit status description. */
  statusDescription: 140,
  /** Deployment and deployment status description. */
  deploymentDescription: 140,
  /** Check run output title. */
  checkTitle: 255,
  /** The Actions job summary of one step, in bytes. */
  jobSummaryBytes: 1024 * 1024,
} as const;

/** A pointer to where the untrimmed text lives, appended when text is cut. */
export function truncationNote(fullReportUrl?: string): string {
  return fullReportUrl
    ? `\n\n> [!NOTE]\n> Truncated to fit GitHub's size limit. The full report: ${fullReportUrl}\n`
    : `\n\n> [!NOTE]\n> Truncated to fit GitHub's size limit. The full report is in the workflow run's job summary, and \`steward review\` prints it locally.\n`;
}

/** Cuts plain text to `limit` with an ellipsis (status and deployment descriptions, titles). */
export function fitLine(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= limit) return flat;
  return `${safeSlice(flat, limit - 1)}…`;
}

/** Cuts text (newlines kept) to `limit` with an ellipsis: annotation messages. */
export function fitText(text: string, limit: number): string {
  return text.length <= limit ? text : `${safeSlice(text, limit - 1)}…`;
}

/**
 * Fits markdown into `limit` units: keeps whole lines while they fit, closes any `<details>` and
 * code fence the cut left open, then appends `note`. Text that fits is returned unchanged.
 */
export function fitMarkdown(text: string, limit: number, note: string = truncationNote(), measure: (s: string) => number = (s) => s.length): string {
  if (measure(text) <= limit) return text;
  const budget = limit - measure(note);
  const state = new FoldTracker();
  const kept: string[] = [];
  let size = 0;
  for (const line of text.split('\n')) {
    const next = size + measure(line) + 1;
    const after = state.peek(line);
    if (next + measure(closers(after)) > budget) break;
    kept.push(line);
    state.push(line);
    size = next;
  }
  const out = `${kept.join('\n')}${closers(state)}${note}`;
  // Only a note longer than the limit itself gets here: cut by units as a last resort.
  return measure(out) <= limit ? out : safeSlice(note, Math.max(0, limit));
}

/** Fits markdown into the job summary's byte limit. */
export function fitBytes(text: string, limitBytes: number, note?: string): string {
  return fitMarkdown(text, limitBytes, note, (s) => Buffer.byteLength(s, 'utf8'));
}

interface OpenState {
  details: number;
  fence: string | null;
}

/** Which folds and code fences are open after the lines seen so far. */
class FoldTracker implements OpenState {
  details = 0;
  fence: string | null = null;

  peek(line: string): OpenState {
    const copy = new FoldTracker();
    copy.details = this.details;
    copy.fence = this.fence;
    copy.push(line);
    return copy;
  }

  push(line: string): void {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (this.fence === null) this.fence = marker;
      else if (marker.startsWith(this.fence[0]!) && marker.length >= this.fence.length) this.fence = null;
      return;
    }
    if (this.fence !== null) return;
    this.details += (line.match(/<details\b/gi) ?? []).length;
    this.details = Math.max(0, this.details - (line.match(/<\/details>/gi) ?? []).length);
  }
}

function closers(state: OpenState): string {
  return `${state.fence ? `\n${state.fence}` : ''}${'\n\n</details>'.repeat(state.details)}`;
}

/** Slices without splitting a surrogate pair. */
function safeSlice(text: string, end: number): string {
  let cut = Math.max(0, end);
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut);
}
