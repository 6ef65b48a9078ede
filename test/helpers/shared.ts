// Where the workplace's shared material lives (../shared beside the project: the Nomad OpenAPI
// description and the real-world job corpus). Read in place, never copied into the project.
// STEWARD_SHARED_DIR overrides the location. Suites that need it skip with a loud notice when it
// is absent, unless STEWARD_REQUIRE_SHARED=1 makes them fail.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_DIR = process.env.STEWARD_SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url));

export function sharedPath(relative: string): string {
  return `${SHARED_DIR.replace(/\/$/, '')}/${relative}`;
}

/** Prints the notice (or throws when the shared material is required) and says whether to run. */
export function requireShared(what: string, paths: string[]): boolean {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length === 0) return true;
  const notice = `\n*** SKIPPED: ${what}: ${missing.join(', ')} absent (../shared beside the project, or STEWARD_SHARED_DIR) ***\n`;
  if (process.env.STEWARD_REQUIRE_SHARED === '1') throw new Error(notice);
  console.warn(notice);
  return false;
}
