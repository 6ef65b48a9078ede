// Turns Nix's error output into the few lines a human needs: the error message, and the file and
// line in the repository it points at (store source paths mapped back to repository paths).
import type { NixErrorDetail } from '../../ports/nix.js';

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
const SOURCE_LOCATION = /\/nix\/store\/[0-9a-z]{32}-source\/([^:\s]+):(\d+)(?::(\d+))?/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * The first meaningful lines of an evaluation error. Newer Nix prints a bare `error:` followed by
 * "… while evaluating" trace lines and then the real `error: <message>`; 2.8 prints the message
 * first. Either way we keep the innermost message, its location and the code excerpt.
 */
export function extractEvalError(stderr: string, maxLines = 12): NixErrorDetail {
  const lines = stripAnsi(stderr).split('\n');
  const messageIndexes = lines
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => /^error:\s*\S/.test(line))
    .map(({ i }) => i);
  const start = messageIndexes.length > 0 ? (messageIndexes[messageIndexes.length - 1] as number) : lines.findIndex((l) => l.trim() !== '');
  const picked: string[] = [];
  for (let i = Math.max(start, 0); i < lines.length && picked.length < maxLines; i++) {
    const line = (lines[i] as string).trimEnd();
    if (/^\(use '--show-trace'/.test(line.trim())) break;
    if (/^\s*… /.test(line)) continue;
    if (picked.length > 0 && /^error:/.test(line.trim()) && i !== start) break;
    picked.push(line.replace(/\/nix\/store\/[0-9a-z]{32}-source\//g, ''));
  }
  while (picked.length > 0 && picked[picked.length - 1]?.trim() === '') picked.pop();
  return withLocation(picked.length > 0 ? picked : ['nix failed without an error message'], stripAnsi(stderr));
}

/** Build errors: every `builder for … failed` block with its log tail, and the dependency line. */
export function extractBuildErrors(stderr: string): { builderFailures: string[][]; dependencyFailures: Map<string, string> } {
  const lines = stripAnsi(stderr).split('\n');
  const builderFailures: string[][] = [];
  const dependencyFailures = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    const dependency = /^error: \d+ dependenc(?:y|ies) of derivation '([^']+)' failed to build/.exec(line);
    if (dependency?.[1]) {
      dependencyFailures.set(dependency[1], line.replace(/^error: /, ''));
      continue;
    }
    if (/^error: (builder for|Cannot build) '/.test(line)) {
      const block = [line.replace(/^error: /, '')];
      for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j] as string) && !/For full logs/.test(lines[j] as string); j++) {
        block.push((lines[j] as string).trim());
      }
      builderFailures.push(block.slice(0, 14));
    }
  }
  return { builderFailures, dependencyFailures };
}

function withLocation(lines: string[], fullText: string): NixErrorDetail {
  const located = SOURCE_LOCATION.exec(fullText.split('\n').filter((l) => !/^\s*… /.test(l)).reverse().join('\n'));
  if (!located) return { lines };
  return { lines, file: located[1], line: Number(located[2]) };
}
