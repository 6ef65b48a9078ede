// Loads and validates steward.json, reporting every problem at once with file:line:column.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { StewardConfig, defaultConfig } from './schema.js';

export const CONFIG_FILE = 'steward.json';

export interface LoadedConfig {
  config: StewardConfig;
  /** The file read, or null when the repository has none and defaults apply. */
  file: string | null;
}

export async function loadConfig(repoDir: string, explicitFile?: string): Promise<LoadedConfig> {
  const file = explicitFile ? path.resolve(explicitFile) : path.join(repoDir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicitFile) return { config: defaultConfig(), file: null };
    throw new ConfigError(file, [`cannot read: ${(error as Error).message}`]);
  }
  return { config: parseConfigText(text, path.relative(process.cwd(), file) || file), file };
}

/** Parses and validates config text; `source` names the file in messages. */
export function parseConfigText(text: string, source: string): StewardConfig {
  const syntaxErrors: ParseError[] = [];
  const raw: unknown = parse(text, syntaxErrors, { allowTrailingComma: false, disallowComments: true });
  if (syntaxErrors.length > 0) {
    throw new ConfigError(
      source,
      syntaxErrors.map((e) => `${source}:${position(text, e.offset)}: ${describeSyntaxError(printParseErrorCode(e.error))}`),
    );
  }
  const result = StewardConfig.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(source, result.error.issues.map((issue) => formatIssue(issue, text, source)));
}

function formatIssue(issue: z.core.$ZodIssue, text: string, source: string): string {
  const issuePath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // Unknown keys point at the key itself; other issues at the offending value.
  const keyPath = issue.code === 'unrecognized_keys' ? [...issuePath, issue.keys[0] ?? ''] : issuePath;
  const tree = parseTree(text);
  const node = tree ? findNodeAtLocation(tree, keyPath) : undefined;
  const located = issue.code === 'unrecognized_keys' ? node?.parent : node;
  const where = located ? `${source}:${position(text, located.offset)}` : source;
  const dotted = issuePath.length ? issuePath.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[') : '(root)';
  return `${where}: ${dotted}: ${issue.message}`;
}

function describeSyntaxError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}
