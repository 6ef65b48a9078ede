// Untrusted text into GitHub markdown (PR comments, check runs, job summaries, approval PRs).
// Every name that comes from a repository or a tool (host, job, task, unit, image, file, reason
// text, tool output) goes through `escapeMarkdown` (prose) or `codeSpan` (code), so that it can
// only ever render as the text it is: one line, no HTML, no link, no emphasis, no heading, no
// mention that pings a team.

// Line breaks of every kind: a newline must never start a heading, a list or a fence.
const LINE_BREAKS = /[\r\n\v\f\u0085\u2028\u2029]+/g;
// C0 controls, DEL and the bidi overrides that can make a name read as something else.
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
/** The character GitHub-generated text (Renovate, Dependabot) puts after `@`: a zero-width space. */
export const ZERO_WIDTH_SPACE = '&#8203;';

/** One line of plain characters: breaks become spaces, tabs spaces, invisible controls go. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(INVISIBLE, '');
}

/**
 * Untrusted text as inline markdown prose that renders as exactly those characters:
 * - `<` and entity-like `&` as entities: no raw HTML, no autolink, no entity that spells `@`
 *   (entities also hold inside `<details>` HTML blocks);
 * - markdown punctuation backslash-escaped: no code span, emphasis, link, image, table cell
 *   break or strikethrough can open (`[x](javascript:…)` stays text);
 * - a zero-width space after `@` (`@&#8203;octo-org/admins`): GitHub does not see a mention;
 * - a zero-width space in `://` and after `www.`: GitHub does not autolink a URL;
 * - a leading list, quote or heading marker escaped: the text can start a line safely.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    // An entity could spell `@` or `<` after parsing; `<` opens every tag and every autolink.
    .replace(/&(?=#?[\p{L}\p{N}]+;)/gu, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*[\]|~#]/g, '\\$&')
    // `_` between letters or digits cannot open or close emphasis (CommonMark): `my_job` stays readable.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZERO_WIDTH_SPACE}`)
    .replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`)
    .replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`)
    .replace(/^(\s*)([-+=>])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * Untrusted text as an inline code span: the fence is longer than any backtick run inside, so the
 * text cannot close it; inside a code span GitHub renders no HTML, link or mention.
 */
export function codeSpan(text: string): string {
  const clean = oneLine(text);
  if (clean === '') return '` `';
  const longestRun = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  // A space keeps a leading or trailing backtick apart from the fence; CommonMark strips it again.
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/**
 * Markdown that goes into a GFM table cell: `|` ends a cell even inside a code span, so every
 * pipe not yet escaped is escaped (GitHub unescapes it in code spans too).
 */
export function tableCell(markdown: string): string {
  // Backslash pairs are read left to right, as GitHub's table scanner reads them.
  return oneLine(markdown).replace(/\\[\s\S]|\|/g, (m) => (m === '|' ? '\\|' : m));
}

/**
 * Untrusted lines (tool output, an error) as a fenced code block: the fence is longer than any
 * backtick run inside, so no line can close it early and start markdown of its own.
 */
export function codeBlock(lines: string[]): string[] {
  const body = lines.join('\n').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').split('\n');
  const longestRun = Math.max(0, ...body.flatMap((line) => [...line.matchAll(/`+/g)].map((m) => m[0].length)));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [fence, ...body, fence];
}
