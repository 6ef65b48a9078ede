// Folds long markdown sections into `<details>` so a PR comment stays readable: the heading stays
// visible, the body opens on a click. Headings inside code fences are not headings.

export interface FoldOptions {
  /** Sections with more body lines than this fold (default 25). */
  maxLines?: number;
  /** Sections with more body characters than this fold (default 3000). */
  maxChars?: number;
}

interface Section {
  heading: string | null;
  body: string[];
}

function splitSections(markdown: string): Section[] {
  const sections: Section[] = [{ heading: null, body: [] }];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === null) fence = marker;
      else if (marker.startsWith(fence[0]!) && marker.length >= fence.length) fence = null;
    }
    if (fence === null && !fenceMatch && /^#{2,6}\s/.test(line)) sections.push({ heading: line, body: [] });
    else sections[sections.length - 1]!.body.push(line);
  }
  return sections;
}

/**
 * The heading's text for a `<summary>` (raw HTML: markdown is not read there): without `#`s,
 * backslash escapes and emphasis. Names in headings are already escaped (markdown.ts), so `<` is
 * an entity and entities stay as they are.
 */
function summaryText(heading: string): string {
  return heading
    .replace(/^#+\s*/, '')
    .replace(/\\([\s\S])/g, (_, c: string) => (c === '*' || c === '`' ? `&#${c.charCodeAt(0)};` : c))
    .replace(/[*`]/g, '')
    .trim();
}

/**
 * Folds each `##`..`######` section whose body is long. The preamble before the first heading
 * never folds (it carries the verdict), and a section that already has a fold is left alone.
 */
export function foldLongSections(markdown: string, options: FoldOptions = {}): string {
  const maxLines = options.maxLines ?? 25;
  const maxChars = options.maxChars ?? 3000;
  return splitSections(markdown)
    .map(({ heading, body }) => {
      if (heading === null) return body.join('\n');
      const text = body.join('\n').replace(/^\n+|\n+$/g, '');
      const lines = text === '' ? 0 : text.split('\n').length;
      const long = lines > maxLines || text.length > maxChars;
      if (!long || /<details\b/i.test(text)) return [heading, ...body].join('\n');
      const trailing = body.length > 0 && body[body.length - 1] === '' ? '\n' : '';
      return `${heading}\n\n<details><summary>${escapeHtml(summaryText(heading))} (${lines} lines)</summary>\n\n${text}\n\n</details>\n${trailing}`;
    })
    .join('\n');
}

/** `<` and `>` as entities; existing entities (escaped names) are kept. */
function escapeHtml(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
