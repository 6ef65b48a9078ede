// Which NixOS option each line of a Nix file sets: `services.openssh.settings.X` for a line
// inside `services.openssh = { settings = { X = …; }; }`. Follows attribute-set nesting through
// `mkIf cond {`, lists, parentheses and `let … in`; a leading `config.` is dropped. Lines that are
// only comments, whitespace or closing brackets are not code.
import { tokenizeNix, type Token } from './nix-tokens.js';

export interface LineInfo {
  /** The option path ('' when the line is not inside any binding, e.g. function arguments). */
  option: string;
  /** Other options set by code on the same line (a one-line module sets them all on line 1). */
  more?: Set<string>;
  /** The line has a token other than brackets and separators. */
  code: boolean;
  /** Inside `let name = …`: the local variable being defined (resolved through its uses). */
  local?: string;
  /** `inherit (lib) mkIf types;` inside a `let`: the local variables the line defines. */
  locals?: string[];
}

type FrameKind = 'root' | 'attrs' | 'let' | 'list' | 'paren';

interface Frame {
  kind: FrameKind;
  path: string[];
  /** Inside `let`: bindings name local variables, not options. */
  local: boolean;
  /** The binding whose value we are in (null: expecting a new binding). */
  binding: string[] | null;
  collecting: { parts: string[]; tokens: Token[] } | null;
  skipToSemicolon: boolean;
  /** The `let` variable whose value this frame is part of. */
  localName?: string;
  /** Inside `let`, after `inherit`: the names that follow define local variables. */
  inheriting?: boolean;
}

const SYNTAX_ONLY = new Set(['{', '}', '[', ']', '(', ')', ';', ',', '};', '];', 'in', 'let', 'rec', 'with']);

export function mapOptionLines(source: string): Map<number, LineInfo> {
  const lines = new Map<number, LineInfo>();
  const stack: Frame[] = [frame('root', [], false)];
  const top = () => stack[stack.length - 1] as Frame;
  const valuePath = (f: Frame) => (f.binding && !f.local ? [...f.path, ...f.binding] : f.path);
  // A line belongs to the binding its first code token belongs to (`fileSystems."/" = { … };`
  // sets fileSystems."/"); multi-line tokens (indented strings) mark every line they span.
  const localOf = (f: Frame) => (f.kind === 'let' && f.binding ? f.binding[0] : f.localName);
  const mark = (token: Token, path: string[]) => {
    const code = !SYNTAX_ONLY.has(token.text);
    const local = localOf(top());
    for (let l = token.line; l <= token.endLine; l++) {
      const seen = lines.get(l);
      if (seen?.code) {
        if (code && !seen.local && !local && path.length > 0) {
          const option = normalise(path);
          if (option !== seen.option) (seen.more ??= new Set()).add(option);
        }
        continue;
      }
      if (!seen || code) lines.set(l, { option: normalise(path), code, ...(local ? { local } : {}) });
    }
  };
  const open = (kind: FrameKind, from: Frame, local = from.local) => {
    const next = frame(kind, valuePath(from), local || kind === 'let');
    const name = localOf(from);
    if (name && kind !== 'let') next.localName = name;
    stack.push(next);
  };

  for (const token of tokenizeNix(source)) {
    const f = top();
    const bindingFrame = f.kind === 'attrs' || f.kind === 'let';
    if (bindingFrame && f.binding === null && !f.skipToSemicolon) {
      if (token.text === '}' || (f.kind === 'let' && token.text === 'in')) {
        stack.pop();
        mark(token, valuePath(top()));
        continue;
      }
      if (token.text === 'inherit') {
        f.skipToSemicolon = true;
        f.inheriting = f.kind === 'let';
        mark(token, f.path);
        continue;
      }
      if (isAttrName(token) && (f.collecting === null || f.collecting.parts.length === 0 || lastIsDot(f))) {
        f.collecting ??= { parts: [], tokens: [] };
        f.collecting.parts.push(token.text);
        f.collecting.tokens.push(token);
        (f.collecting as { dot?: boolean }).dot = false;
        continue;
      }
      if (token.text === '.' && f.collecting) {
        (f.collecting as { dot?: boolean }).dot = true;
        continue;
      }
      if (token.text === '=' && f.collecting) {
        f.binding = f.collecting.parts;
        for (const t of f.collecting.tokens) mark(t, valuePath(f));
        f.collecting = null;
        mark(token, valuePath(f));
        continue;
      }
      f.collecting = null; // function formals (`{ config, pkgs, ... }:`) and other non-bindings
      mark(token, f.path);
      if (token.text === '{') open('attrs', f);
      continue;
    }
    if (bindingFrame && (token.text === ';' || token.text === '}') && (f.binding !== null || f.skipToSemicolon)) {
      f.binding = null;
      f.skipToSemicolon = false;
      f.inheriting = false;
      if (token.text === '}') {
        stack.pop();
        mark(token, valuePath(top()));
      }
      continue;
    }
    if ((token.text === ']' && f.kind === 'list') || (token.text === ')' && f.kind === 'paren')) {
      stack.pop();
      mark(token, valuePath(top()));
      continue;
    }
    mark(token, valuePath(f));
    if (f.inheriting && token.type === 'id') {
      const info = lines.get(token.line) as LineInfo;
      (info.locals ??= []).push(token.text);
    }
    if (token.text === '{') open('attrs', f);
    else if (token.text === '[') open('list', f);
    else if (token.text === '(') open('paren', f);
    else if (token.text === 'let') open('let', f, true);
  }
  return lines;
}

function frame(kind: FrameKind, path: string[], local: boolean): Frame {
  return { kind, path, local, binding: null, collecting: null, skipToSemicolon: false };
}

function isAttrName(token: Token): boolean {
  return token.type === 'id' || token.type === 'string' || (token.type === 'punct' && token.text === '${');
}

function lastIsDot(f: Frame): boolean {
  return (f.collecting as { dot?: boolean } | null)?.dot === true;
}

function normalise(path: string[]): string {
  const parts = path[0] === 'config' ? path.slice(1) : path;
  return parts.join('.');
}

/**
 * Options a `let` variable reaches: the options of the lines that use it, following other local
 * variables (`ports` -> `sshdConfig` -> `systemd.services.sshd.restartTriggers`). Build it once
 * per file side: it indexes every name's uses in one pass, so resolving is linear in the file.
 */
export interface LocalResolver {
  (name: string): string[];
  /** The variable is used nowhere but in its own definition (dead code: it reaches nothing). */
  unused(name: string): boolean;
}

export function localOptionResolver(source: string, lines: Map<number, LineInfo>): LocalResolver {
  const usesOf = new Map<string, number[]>();
  const identifier = /[A-Za-z_][\w'-]*/g;
  source.split('\n').forEach((text, index) => {
    const lineNo = index + 1;
    if (!lines.get(lineNo)?.code) return;
    const code = text.replace(/#.*$/, '');
    for (const match of code.matchAll(identifier)) {
      if (code[match.index - 1] === '.') continue; // an attribute of something else, not the variable
      const uses = usesOf.get(match[0]);
      if (!uses) usesOf.set(match[0], [lineNo]);
      else if (uses[uses.length - 1] !== lineNo) uses.push(lineNo);
    }
  });
  const resolved = new Map<string, string[]>();
  const walk = (name: string, seen: Set<string>, into: Set<string>) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const lineNo of usesOf.get(name) ?? []) {
      const info = lines.get(lineNo) as LineInfo;
      if (defines(info, name)) continue;
      if (info.local) walk(info.local, seen, into);
      else if (info.locals) for (const local of info.locals) walk(local, seen, into);
      else if (info.option) into.add(info.option);
    }
  };
  const resolve = (name: string) => {
    let options = resolved.get(name);
    if (!options) {
      const into = new Set<string>();
      walk(name, new Set(), into);
      options = [...into].sort();
      resolved.set(name, options);
    }
    return options;
  };
  const unused = (name: string) => (usesOf.get(name) ?? []).every((lineNo) => defines(lines.get(lineNo) as LineInfo, name));
  return Object.assign(resolve, { unused });
}

function defines(info: LineInfo, name: string): boolean {
  return info.local === name || info.locals?.includes(name) === true;
}

/** Options a `let` variable reaches (one-off; use localOptionResolver for many names). */
export function resolveLocalOptions(source: string, lines: Map<number, LineInfo>, name: string): string[] {
  return localOptionResolver(source, lines)(name);
}

/**
 * Every option a line sets, most specific only: `services.openssh` is dropped beside
 * `services.openssh.ports`, and '' (no binding) beside any option.
 */
export function lineOptions(info: LineInfo): string[] {
  if (!info.more) return [info.option];
  const all = [info.option, ...info.more].filter(Boolean);
  const prefixes = new Set<string>();
  for (const option of all) for (let dot = option.indexOf('.'); dot > 0; dot = option.indexOf('.', dot + 1)) prefixes.add(option.slice(0, dot));
  return all.filter((o) => !prefixes.has(o));
}

/** The file without comments and insignificant whitespace: equal for cosmetic-only changes. */
export function normaliseNixSource(source: string): string {
  return tokenizeNix(source)
    .map((t) => t.text)
    .join(' ');
}
