// Finds Nomad job files among a revision's tracked paths by the configured globs, so discovery
// works at any revision without a checkout. A glob starting with `!` excludes.
import picomatch from 'picomatch';

export function discoverJobFiles(paths: string[], globs: string[]): string[] {
  const include = globs.filter((g) => !g.startsWith('!'));
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  if (include.length === 0) return [];
  const isIncluded = picomatch(include);
  const isExcluded = exclude.length > 0 ? picomatch(exclude) : () => false;
  const found = new Set<string>();
  for (const raw of paths) {
    const path = raw.replace(/^\.\//, '');
    if (isIncluded(path) && !isExcluded(path)) found.add(path);
  }
  return [...found].sort();
}
