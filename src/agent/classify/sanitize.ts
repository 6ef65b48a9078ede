// Untrusted text (diffs, commit messages, file names, PR text) on its way into a prompt: strip what
// hides instructions from a human reviewer, and fence the rest as data the model must not obey.
import { createHash } from 'node:crypto';

export interface SanitiseCounts {
  htmlComments: number;
  invisible: number;
  fenceMarkers: number;
}

export function emptyCounts(): SanitiseCounts {
  return { htmlComments: 0, invisible: 0, fenceMarkers: 0 };
}

export function addCounts(into: SanitiseCounts, more: SanitiseCounts): void {
  into.htmlComments += more.htmlComments;
  into.invisible += more.invisible;
  into.fenceMarkers += more.fenceMarkers;
}

/**
 * Characters a reader does not see but a model does: zero-width and joiners, bidi embeddings,
 * overrides and isolates (Trojan Source), the soft hyphen, word joiners and invisible operators,
 * the BOM, Unicode tag characters (used to smuggle ASCII), variation selectors, and C0/C1 controls
 * other than tab and newline.
 */
const INVISIBLE =
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]|\uDB40[\uDC00-\uDDEF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** An HTML comment, or an unterminated one running to the end (GitHub hides both). */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** Anything that looks like one of our fence lines, whatever its nonce. */
const FENCE_LIKE = /(-{3,}\s*)(BEGIN|END)(\s+UNTRUSTED\s+DATA)/gi;

export interface Sanitised {
  text: string;
  counts: SanitiseCounts;
}

export function sanitiseUntrusted(input: string): Sanitised {
  const counts = emptyCounts();
  let text = input.replace(/\r\n?|[\u2028\u2029]/g, '\n');
  text = text.replace(HTML_COMMENT, () => {
    counts.htmlComments += 1;
    return '[html comment removed]';
  });
  text = text.replace(INVISIBLE, () => {
    counts.invisible += 1;
    return '';
  });
  text = text.replace(FENCE_LIKE, (_m, dashes: string, word: string, rest: string) => {
    counts.fenceMarkers += 1;
    return `${dashes}${word.toLowerCase()}-quoted${rest.toLowerCase()}`;
  });
  return { text, counts };
}

/** A single-line value (a file name, a unit name) that must not break the line it sits on. */
export function sanitiseInline(input: string, counts?: SanitiseCounts): string {
  const { text, counts: own } = sanitiseUntrusted(input);
  if (counts) addCounts(counts, own);
  return text.replace(/\s*\n\s*/g, ' ⏎ ');
}

/**
 * Wraps already-sanitised text between BEGIN/END lines carrying a nonce derived from the content:
 * an attacker cannot close the fence early without knowing the hash of the text that contains the
 * closing line, and any fence-like line inside was already defused by `sanitiseUntrusted`.
 */
export function fenceUntrusted(kind: string, sanitisedText: string): string {
  const nonce = createHash('sha256').update(kind).update('\0').update(sanitisedText).digest('hex').slice(0, 12);
  const body = sanitisedText.endsWith('\n') ? sanitisedText : `${sanitisedText}\n`;
  return `----- BEGIN UNTRUSTED DATA ${nonce} (${kind}) -----\n${body}----- END UNTRUSTED DATA ${nonce} -----`;
}

/** Sanitise, then fence: the one call for a block of untrusted text. */
export function fenceAsData(kind: string, input: string, counts: SanitiseCounts): string {
  const { text, counts: own } = sanitiseUntrusted(input);
  addCounts(counts, own);
  return fenceUntrusted(kind, text);
}
