// A small Nix tokenizer: enough to tell code from comments and whitespace, keep strings
// (including '' indented strings and ${} interpolation) whole, and know each token's lines.
export type TokenType = 'id' | 'string' | 'number' | 'path' | 'punct';

export interface Token {
  type: TokenType;
  text: string;
  line: number;
  endLine: number;
}

const ID_START = /[A-Za-z_]/;
const ID_PART = /[A-Za-z0-9_'-]/;
const PUNCT2 = ['==', '!=', '&&', '||', '->', '//', '++', '<=', '>=', '...'];

// A file side is tokenized by the cosmetic check and by the option map: remember the last few.
const recent = new Map<string, Token[]>();
const RECENT_MAX = 4;

export function tokenizeNix(source: string): Token[] {
  const cached = recent.get(source);
  if (cached) return cached;
  const tokens = scanTokens(source);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(source, tokens);
  return tokens;
}

function scanTokens(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (source[k] === '\n') line++;
    i = to;
  };
  while (i < source.length) {
    const ch = source[i] as string;
    if (/\s/.test(ch)) {
      advance(i + 1);
      continue;
    }
    if (ch === '#') {
      const end = source.indexOf('\n', i);
      advance(end < 0 ? source.length : end);
      continue;
    }
    if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      advance(end < 0 ? source.length : end + 2);
      continue;
    }
    const start = i;
    const startLine = line;
    const push = (type: TokenType, end: number) => {
      const text = source.slice(start, end);
      advance(end);
      tokens.push({ type, text, line: startLine, endLine: line });
    };
    if (ch === '"') push('string', skipString(source, i + 1));
    else if (source.startsWith("''", i)) push('string', skipIndentedString(source, i + 2));
    else if (ch === '<' && /^<[A-Za-z0-9._/-]+>/.test(source.slice(i, i + 200))) push('path', source.indexOf('>', i) + 1);
    else if ((/[.~]/.test(ch) && source[i + 1] === '/') || source.startsWith('../', i) || (ch === '/' && /[A-Za-z0-9_]/.test(source[i + 1] ?? ''))) {
      push('path', scanWhile(source, i, /[A-Za-z0-9._+~/-]/));
    } else if (ID_START.test(ch)) {
      const end = scanWhile(source, i, ID_PART);
      // `nixpkgs/path` style relative paths and `https://` URIs are paths, not identifiers.
      if (source[end] === '/' && /[A-Za-z0-9._-]/.test(source[end + 1] ?? '')) push('path', scanWhile(source, end, /[A-Za-z0-9._+~/-]/));
      else if (source.startsWith('://', end)) push('path', scanWhile(source, end, /[^\s;]/));
      else push('id', end);
    } else if (/[0-9]/.test(ch)) push('number', scanWhile(source, i, /[0-9.eE]/));
    else {
      const two = PUNCT2.find((p) => source.startsWith(p, i));
      push('punct', i + (two ? two.length : 1));
    }
  }
  return tokens;
}

function scanWhile(source: string, from: number, re: RegExp): number {
  let j = from;
  while (j < source.length && re.test(source[j] as string)) j++;
  return j;
}

/** Index just past the closing quote of a "…" string starting after its opening quote. */
function skipString(source: string, from: number): number {
  let j = from;
  while (j < source.length) {
    const c = source[j];
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if (c === '$' && source[j + 1] === '{') j = skipInterpolation(source, j + 2);
    else j++;
  }
  return source.length;
}

/** Index just past the closing '' of an indented string ('''  ''$  ''\x are escapes). */
function skipIndentedString(source: string, from: number): number {
  let j = from;
  while (j < source.length) {
    if (source.startsWith("''", j)) {
      const next = source[j + 2];
      if (next === "'" || next === '$' || next === '\\') {
        j += next === '\\' ? 4 : 3;
        continue;
      }
      return j + 2;
    }
    if (source[j] === '$' && source[j + 1] === '{') j = skipInterpolation(source, j + 2);
    else j++;
  }
  return source.length;
}

/** Index just past the `}` closing a `${` whose body starts at `from`. */
function skipInterpolation(source: string, from: number): number {
  let depth = 1;
  let j = from;
  while (j < source.length && depth > 0) {
    const c = source[j];
    if (c === '"') j = skipString(source, j + 1);
    else if (source.startsWith("''", j)) j = skipIndentedString(source, j + 2);
    else {
      if (c === '{') depth++;
      if (c === '}') depth--;
      j++;
    }
  }
  return j;
}
