// Knowledge and goal documents: Steward's own (goals/), and the homelab repository's
// `.steward/knowledge/` and `.steward/goals/` read from main's COMMITTED tree through git, never
// from the working tree or a pull request's head.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitPort } from '../../../ports/git.js';

export interface Doc {
  source: string;
  text: string;
}

/** The commit of the main branch: `origin/<main>` when it exists (CI checkouts), else `<main>`. */
export async function mainCommit(git: GitPort, branch: string): Promise<string> {
  for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
    const sha = await git.resolve(ref).catch(() => null);
    if (sha) return sha;
  }
  throw new Error(`no branch ${branch} in the repository`);
}

export async function stewardDocs(goalsDir: string): Promise<Doc[]> {
  const dir = path.join(goalsDir, 'knowledge');
  const names = await readdir(dir).catch(() => [] as string[]);
  return Promise.all(names.filter((n) => n.endsWith('.md')).sort().map(async (n) => ({ source: `goals/knowledge/${n}`, text: await readFile(path.join(dir, n), 'utf8') })));
}

export async function repoDocs(git: GitPort, sha: string, folder: '.steward/knowledge' | '.steward/goals'): Promise<Doc[]> {
  const files = (await git.listFiles(sha)).filter((f) => f.startsWith(`${folder}/`) && f.endsWith('.md')).sort();
  const docs = await Promise.all(files.slice(0, 200).map(async (f) => ({ source: `${f}@${sha.slice(0, 12)}`, text: (await git.show(sha, f)) ?? '' })));
  return docs.filter((d) => d.text.trim());
}

/** Words worth matching: unit, job and host names and the alert's labels, split on punctuation. */
export function keywordsOf(texts: string[]): string[] {
  const words = texts.flatMap((t) => t.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length >= 3 && !STOP.has(w));
  return [...new Set(words)];
}

const STOP = new Set(['service', 'the', 'and', 'for', 'job', 'unit', 'host', 'failed', 'alert', 'firing', 'with', 'from', 'severity', 'warning', 'critical']);

/** Documents that mention the keywords, best first, with an excerpt around the first hit. */
export function matchDocs(docs: Doc[], keywords: string[], limit: number, excerptChars: number): Array<{ source: string; title: string; excerpt: string; score: number }> {
  const scored = docs.map((doc) => {
    const lower = doc.text.toLowerCase();
    const hits = keywords.filter((k) => lower.includes(k));
    const title = /^#\s+(.+)$/m.exec(doc.text)?.[1]?.trim() ?? doc.source;
    const first = Math.min(...hits.map((k) => lower.indexOf(k)), lower.length);
    const start = Math.max(0, first - excerptChars / 4);
    return { source: doc.source, title, excerpt: doc.text.slice(start, start + excerptChars).trim(), score: hits.length };
  });
  return scored.filter((d) => d.score > 0).sort((a, b) => b.score - a.score || a.source.localeCompare(b.source)).slice(0, limit);
}
