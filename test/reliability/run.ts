// `npm run reliability`: runs the suites that inject faults, crashes, concurrent deploys, bad
// input, hostile names and canary secrets (one vitest run, JSON reporter) and prints one table:
// what each injects, how many cases, what the cases ended in, and how many were lost. "Lost"
// counts the cases that did not end as asserted (a failed test): 0 means every injected fault,
// crash or input was handled as the suite demands (rolled back, reverted, refused, serialised,
// escaped or redacted) and nothing was left half-done or leaked.
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Category {
  name: string;
  injected: string;
  files: string[];
  /** Only the tests whose full name matches (for files that test more than this). */
  select?: RegExp;
}

const CATEGORIES: Category[] = [
  {
    name: 'faults',
    injected: 'GitHub 403/429/5xx; a switch that exits 1 or hangs; a host that stops accepting logins; Nomad failing allocations',
    files: ['test/github/resilience.test.ts', 'test/integration/host-activation.test.ts', 'test/integration/ssh-transport.test.ts', 'test/contract/nomad-client.e2e.test.ts'],
  },
  { name: 'crash', injected: 'SIGKILL of steward at every journalled step of a deploy and during a reboot', files: ['test/integration/deploy-crash.test.ts'] },
  { name: 'concurrency', injected: 'a second deploy while one runs', files: ['test/integration/deploy-cli.test.ts'], select: /lock/i },
  {
    name: 'bad input',
    injected: 'invalid steward.json, broken Nix (eval, option, build, flake.nix errors), no flake.nix',
    files: ['src/config/load.test.ts', 'test/integration/review-edge-cases.test.ts', 'test/integration/review-no-flake.test.ts'],
  },
  {
    name: 'injection',
    injected: 'hostile names (@team, HTML, links, backticks, newline + heading) and prompt injection',
    files: ['src/stages/report/markdown.test.ts', 'test/github/hostile-names.test.ts', 'src/agent/classify/sanitize.test.ts', 'src/agent/classify/render-llm-section.test.ts'],
  },
  {
    name: 'canary secrets',
    injected: 'tokens and URL credentials planted in env, config, requests and output',
    files: ['src/redact.test.ts', 'src/doctor/checks.test.ts', 'src/adapters/github-actions/github-actions.test.ts'],
    // resilience.test.ts also holds the token canary: counted here as well as under faults.
  },
];

/** Words in a test's title that say how its injected fault ended. */
const OUTCOMES: Array<[string, RegExp]> = [
  ['rolled back', /roll(?:s|ed)? (?:it )?back|rollback/i],
  ['reverted', /revert/i],
  ['refused', /refus|reject|gives up|exit \d|stops? |never (?:lets|shows|runs)|not |instead of crashing/i],
  ['serialised', /never runs two|one at a time|serial|lock/i],
  ['converged', /converges|retries|waits out|resum/i],
];

interface AssertionResult {
  fullName: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
  failureMessages?: string[];
}
interface FileResult {
  name: string;
  assertionResults: AssertionResult[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));

async function main(): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-reliability-'));
  const out = path.join(dir, 'results.json');
  const files = [...new Set(CATEGORIES.flatMap((c) => c.files))];
  try {
    console.error(`reliability: running ${files.length} test files (a few minutes with Nix)…`);
    const run = await execa('npx', ['vitest', 'run', ...files, '--reporter=json', `--outputFile=${out}`], { cwd: root, reject: false, stdio: ['ignore', 'inherit', 'inherit'] });
    const results = JSON.parse(await readFile(out, 'utf8')) as { testResults: FileResult[] };
    console.log(renderTable(results.testResults));
    const failures = results.testResults.flatMap((r) => r.assertionResults.filter((a) => a.status === 'failed').map((a) => `- ${a.fullName}: ${(a.failureMessages?.[0] ?? '').split('\n')[0]}`));
    if (failures.length > 0) console.log(['', 'Lost (failed) cases:', ...failures].join('\n'));
    return run.exitCode ?? 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function renderTable(results: FileResult[]): string {
  const rows = ['| suite | what is injected | cases | outcomes | lost |', '|---|---|---|---|---|'];
  for (const category of CATEGORIES) {
    const cases = results
      .filter((r) => category.files.some((f) => r.name.endsWith(f)))
      .flatMap((r) => r.assertionResults)
      .filter((a) => !category.select || category.select.test(a.fullName));
    const passed = cases.filter((a) => a.status === 'passed');
    const failed = cases.filter((a) => a.status === 'failed').length;
    const skipped = cases.length - passed.length - failed;
    const outcomes = OUTCOMES.map(([word, pattern]) => [word, passed.filter((a) => pattern.test(a.title)).length] as const)
      .filter(([, n]) => n > 0)
      .map(([word, n]) => `${word} ${n}`);
    const handled = [...outcomes, `${passed.length} passed`, ...(skipped ? [`${skipped} skipped`] : [])].join(', ');
    const lost = failed > 0 ? `lost: ${failed}` : passed.length > 0 ? 'lost: 0' : 'not run';
    rows.push(`| ${category.name} | ${category.injected} | ${cases.length} | ${handled} | ${lost} |`);
  }
  return rows.join('\n');
}

process.exitCode = await main();
