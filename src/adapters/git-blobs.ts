// File contents at revisions, read as raw bytes through one `git cat-file --batch` process: no
// diff attributes, textconv or filters apply, so a `.gitattributes` in the reviewed repository
// cannot hide what a file holds (issue 9, defect 5). One process for every file of a review.
import { GitError } from '../errors.js';
import { describeFailure, runProcessBytes } from './process/run-process.js';

export interface BlobRequest {
  rev: string;
  path: string;
}

const READ_TIMEOUT_MS = 120_000;

/**
 * The content of each requested `rev:path`, in request order: bytes, or null when the path does
 * not exist at that revision. A path `--batch` cannot name (a newline in it) is read as
 * `undefined`: the caller treats it as unreadable, never as absent.
 */
export async function readBlobs(root: string, requests: BlobRequest[]): Promise<(Uint8Array | null | undefined)[]> {
  const askable = requests.map((r) => !/[\n\r]/.test(r.path) && !/[\n\r]/.test(r.rev));
  const asked = requests.filter((_, i) => askable[i]);
  if (asked.length === 0) return requests.map(() => undefined);
  const input = asked.map((r) => `${r.rev}:${r.path}\n`).join('');
  const result = await runProcessBytes('git', ['-c', 'core.quotepath=off', 'cat-file', '--batch'], { cwd: root, input, timeoutMs: READ_TIMEOUT_MS });
  if (result.exitCode !== 0) throw new GitError(`reading file contents failed: ${describeFailure(result)}`);
  const answers = parseBatch(Buffer.from(result.stdout), asked.length);
  let next = 0;
  return requests.map((_, i) => (askable[i] ? answers[next++] : undefined));
}

/** `<oid> <type> <size>\n<bytes>\n` per object, or `<name> missing\n` (also `ambiguous`). */
export function parseBatch(out: Buffer, count: number): (Uint8Array | null)[] {
  const answers: (Uint8Array | null)[] = [];
  let at = 0;
  while (answers.length < count) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new GitError('git cat-file --batch ended early');
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const match = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(header);
    if (!match) {
      answers.push(null); // missing at that revision
      continue;
    }
    const size = Number(match[2]);
    // A tree or submodule commit at that path is not a file: nothing to read as text.
    answers.push(match[1] === 'blob' ? out.subarray(at, at + size) : null);
    at += size + 1;
  }
  return answers;
}
