// A light scanner that finds where HCL blocks and attributes start (line, column), because
// hcl2json drops positions. It never throws: on text it cannot follow it returns what it found.
import type { OutlineBlock } from '../../model/hcl-outline.js';

export type { OutlineBlock };

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_-]/;

class Scanner {
  pos = 0;
  line = 1;
  lineStart = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  column(): number {
    return this.pos - this.lineStart + 1;
  }
  advance(): string {
    const c = this.text[this.pos++] ?? '';
    if (c === '\n') {
      this.line++;
      this.lineStart = this.pos;
    }
    return c;
  }

  /** Skips blanks and comments; newlines too unless `stopAtNewline`. */
  skipTrivia(stopAtNewline: boolean): void {
    while (!this.done) {
      const c = this.peek();
      if (c === '\n' && stopAtNewline) return;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.advance();
      else if (c === '#' || (c === '/' && this.peek(1) === '/')) this.skipLineComment();
      else if (c === '/' && this.peek(1) === '*') this.skipBlockComment();
      else return;
    }
  }
  skipLineComment(): void {
    while (!this.done && this.peek() !== '\n') this.advance();
  }
  skipBlockComment(): void {
    this.advance();
    this.advance();
    while (!this.done && !(this.peek() === '*' && this.peek(1) === '/')) this.advance();
    this.advance();
    this.advance();
  }

  readIdent(): string {
    const start = this.pos;
    while (!this.done && IDENT.test(this.peek())) this.advance();
    return this.text.slice(start, this.pos);
  }

  /** A quoted template string, including `${...}` / `%{...}` that may nest strings. */
  readString(): string {
    this.advance();
    let out = '';
    while (!this.done) {
      const c = this.peek();
      if (c === '\\') {
        this.advance();
        out += this.advance();
      } else if (c === '"') {
        this.advance();
        return out;
      } else if (c === '\n') {
        return out; // unterminated: HCL rejects it, hcl2json reports it; stop at the line end
      } else if ((c === '$' || c === '%') && this.peek(1) === c && this.peek(2) === '{') {
        out += this.advance() + this.advance() + this.advance();
      } else if ((c === '$' || c === '%') && this.peek(1) === '{') {
        this.advance();
        this.advance();
        this.skipExpression('}');
        this.advance();
      } else {
        out += this.advance();
      }
    }
    return out;
  }

  /** `<<EOF` or `<<-EOF`: skip to the line holding only the marker. */
  skipHeredoc(): void {
    this.advance();
    this.advance();
    if (this.peek() === '-') this.advance();
    const marker = this.readIdent();
    this.skipLineComment();
    while (!this.done) {
      this.advance(); // the newline
      const end = this.text.indexOf('\n', this.pos);
      const lineText = this.text.slice(this.pos, end === -1 ? undefined : end);
      if (marker && lineText.trim() === marker) {
        while (!this.done && this.peek() !== '\n') this.advance();
        return;
      }
      while (!this.done && this.peek() !== '\n') this.advance();
    }
  }

  /**
   * Skips an expression. At depth 0 it ends at a newline, or before `closer` (the `}` of a
   * one-line block or of a `${...}` interpolation). Brackets allow newlines inside.
   */
  skipExpression(closer: string | null): void {
    let depth = 0;
    while (!this.done) {
      const c = this.peek();
      if (depth === 0 && (c === '\n' || (closer !== null && c === closer))) return;
      if (c === '"') this.readString();
      else if (c === '<' && this.peek(1) === '<' && /[-A-Za-z_]/.test(this.peek(2))) this.skipHeredoc();
      else if (c === '#' || (c === '/' && this.peek(1) === '/')) this.skipLineComment();
      else if (c === '/' && this.peek(1) === '*') this.skipBlockComment();
      else if (c === '{' || c === '[' || c === '(') {
        depth++;
        this.advance();
      } else if (c === '}' || c === ']' || c === ')') {
        depth = Math.max(0, depth - 1);
        this.advance();
      } else this.advance();
    }
  }
}

function parseBody(s: Scanner, nested: boolean, into: OutlineBlock | null, out: OutlineBlock[]): void {
  while (true) {
    s.skipTrivia(false);
    if (s.done) return;
    const c = s.peek();
    if (c === '}') {
      s.advance();
      if (nested) return;
      continue;
    }
    if (!IDENT_START.test(c)) {
      s.advance(); // not something we understand: move on rather than fail
      continue;
    }
    const line = s.line;
    const column = s.column();
    const name = s.readIdent();
    s.skipTrivia(true);
    if (s.peek() === '=' && s.peek(1) !== '=') {
      s.advance();
      if (into && !(name in into.attributes)) into.attributes[name] = line;
      s.skipExpression(nested ? '}' : null);
      continue;
    }
    const labels: string[] = [];
    while (!s.done && s.peek() !== '{' && s.peek() !== '\n') {
      if (s.peek() === '"') labels.push(s.readString());
      else if (IDENT_START.test(s.peek())) labels.push(s.readIdent());
      else break;
      s.skipTrivia(true);
    }
    if (s.peek() !== '{') {
      s.skipExpression(null);
      continue;
    }
    s.advance();
    const block: OutlineBlock = { type: name, labels, line, column, attributes: {}, blocks: [] };
    out.push(block);
    parseBody(s, true, block, block.blocks);
  }
}

/** The block tree of an HCL file: top-level blocks with their nested blocks and attribute lines. */
export function buildHclOutline(source: string): OutlineBlock[] {
  const blocks: OutlineBlock[] = [];
  parseBody(new Scanner(source), false, null, blocks);
  return blocks;
}
