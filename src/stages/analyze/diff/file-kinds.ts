// What kind of file a changed path is (docs, secret, lock, nix, nomad) and which host it belongs
// to by its path. Secret files are recognised by path only: their contents are never read.
import picomatch from 'picomatch';
import type { FileKind } from '../../../model/repo-change.js';

export interface FileRules {
  docs: string[];
  secrets: string[];
  /** Extra secret patterns, e.g. from .gitattributes `filter=git-crypt`. */
  gitCrypt: string[];
  jobs: string[];
  hostPaths: string[];
}

export function buildFileClassifier(rules: FileRules, knownHosts: string[]) {
  const opts = { dot: true };
  const isSecret = picomatch([...rules.secrets, ...rules.gitCrypt], opts);
  const isDocs = picomatch(rules.docs, opts);
  const isJob = picomatch(rules.jobs, opts);
  const hostMatchers = rules.hostPaths.map(hostPatternRegex);
  const known = new Set(knownHosts);
  return {
    kind(path: string): FileKind {
      if (isSecret(path)) return 'secret';
      if (path === 'flake.lock' || path.endsWith('/flake.lock')) return 'lock';
      if (isJob(path)) return 'nomad';
      if (path.endsWith('.nix')) return 'nix';
      if (isDocs(path)) return 'docs';
      return 'other';
    },
    hosts(path: string): string[] {
      for (const re of hostMatchers) {
        const host = re.exec(path)?.[1];
        if (host && (known.size === 0 || known.has(host))) return [host];
      }
      return [];
    },
  };
}

/** `hosts/{host}/**` -> /^hosts\/([^/]+)\/.*$/ (the one placeholder captures the host name). */
export function hostPatternRegex(pattern: string): RegExp {
  const [before, after = ''] = pattern.split('{host}');
  // Only `*` and `**` are supported around the placeholder: enough for host folder layouts.
  const escape = (s: string) => s.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  return new RegExp(`^${escape(before ?? '')}([^/.]+)${escape(after)}$`);
}

/** Patterns with `filter=git-crypt` in a .gitattributes file. */
export function gitCryptPatterns(gitattributes: string | null): string[] {
  if (!gitattributes) return [];
  return gitattributes
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && /\bfilter=git-crypt\b/.test(l))
    .map((l) => l.split(/\s+/)[0] as string)
    .map((p) => (p.includes('/') ? p.replace(/^\//, '') : `**/${p}`));
}
