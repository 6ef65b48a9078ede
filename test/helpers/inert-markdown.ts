// Reads rendered markdown with a real CommonMark + GFM-tables parser (markdown-it, with GitHub's
// autolinking) and lists every way untrusted text came alive: HTML Steward did not write, links
// and images Steward did not write, mentions, and a marker word inside a heading or emphasis.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

const parser = new MarkdownIt({ html: true, linkify: true });

/** The only HTML Steward writes itself: folds, small print and its hidden markers. */
const OWN_HTML = /<\/?(details|summary|sub)>|<!-- steward[^>]*-->/g;
/** What GitHub would turn into a mention: `@` + a name character, not inside a word. */
const MENTION = /(^|[^\p{L}\p{N}_`])@[\p{L}\p{N}]/u;

export interface InertOptions {
  /** Link targets Steward itself writes (run and check URLs). */
  allowedLinks?: string[];
  /** A word planted in hostile names: it must never start a heading or be emphasised. */
  marker?: string;
}

export interface Injection {
  kind: 'html' | 'link' | 'image' | 'mention' | 'heading' | 'emphasis';
  text: string;
}

export function findInjections(markdown: string, options: InertOptions = {}): Injection[] {
  const found: Injection[] = [];
  const marker = options.marker ?? 'INJECTED';
  const allowed = new Set(options.allowedLinks ?? []);
  const walk = (tokens: Token[], inside: string[]): void => {
    for (const token of tokens) {
      if (token.type === 'html_block' || token.type === 'html_inline') {
        const rest = token.content.replace(OWN_HTML, '');
        if (/<[A-Za-z!/?]/.test(rest)) found.push({ kind: 'html', text: token.content.trim() });
      }
      if (token.type === 'link_open' && !allowed.has(token.attrGet('href') ?? '')) found.push({ kind: 'link', text: token.attrGet('href') ?? '' });
      if (token.type === 'image') found.push({ kind: 'image', text: token.attrGet('src') ?? '' });
      if (token.type === 'text' && MENTION.test(token.content)) found.push({ kind: 'mention', text: token.content });
      if (token.type === 'text' && token.content.includes(marker)) {
        // Steward writes names into its own `#### name` headings; a heading that starts with the
        // marker was made by the name (a newline, then `#`).
        if (inside.includes('heading') && token.content.trimStart().startsWith(marker)) found.push({ kind: 'heading', text: token.content });
        if (inside.some((k) => k === 'em' || k === 'strong' || k === 's')) found.push({ kind: 'emphasis', text: token.content });
      }
      const stack = [...inside];
      if (token.nesting === 1) inside.push(token.type.replace(/_open$/, ''));
      if (token.nesting === -1) inside.pop();
      if (token.children) walk(token.children, stack);
    }
  };
  walk(parser.parse(markdown, {}), []);
  return found;
}

/** Everything a reader sees as text or code, zero-width spaces removed: hostile names must still be there. */
export function visibleText(markdown: string): string {
  const out: string[] = [];
  const walk = (tokens: Token[]): void => {
    for (const token of tokens) {
      if (['text', 'code_inline', 'code_block', 'fence'].includes(token.type)) out.push(token.content);
      if (token.type === 'html_block' || token.type === 'html_inline') out.push(token.content);
      if (token.children) walk(token.children);
    }
  };
  walk(parser.parse(markdown, {}));
  return out.join(' ').replace(/\u200b/g, '');
}

/** The content of every inline code span. */
export function codeSpans(markdown: string): string[] {
  const out: string[] = [];
  const walk = (tokens: Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'code_inline') out.push(token.content);
      if (token.children) walk(token.children);
    }
  };
  walk(parser.parse(markdown, {}));
  return out;
}
