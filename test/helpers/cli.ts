// Runs the built `steward` CLI (dist/cli.js, built by `npm test`'s pretest) as a user would.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export async function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
  return execa(process.execPath, [CLI, ...args], { reject: false, stdin: 'ignore', cwd: options.cwd, env: { ...process.env, ...options.env } });
}
