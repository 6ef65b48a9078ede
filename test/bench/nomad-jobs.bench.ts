// Benchmark: parse, normalise and validate 300 job files made from the example homelab's jobs
// with variations (IDs, service and router names, hosts, image patches, static ports).
// Run by `npm run bench` in a fresh process (the parse cache starts empty); nothing here is timed
// inside a unit test.
import { performance } from 'node:perf_hooks';
import { parseJobSources, type JobSource } from '../../src/stages/analyze/jobs/load-jobs.js';
import { validateJobs } from '../../src/stages/validate/validate-jobs.js';
import { exampleNomadSources } from '../fixtures/nomad-scenarios.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

const TARGET_MS = 1500;

/** `count` variants of the example jobs, each a distinct job that could live in one repository. */
export function generateJobFiles(count: number): JobSource[] {
  const examples = exampleNomadSources();
  return Array.from({ length: count }, (_, i) => {
    const { path, content } = examples[i % examples.length]!;
    const varied = content
      .replace(/^job "([^"]+)"/m, `job "$1-${i}"`)
      .replace(/(\bname\s*=\s*")([^"]+)"/g, `$1$2-${i}"`)
      .replace(/traefik\.(http|tcp)\.routers\.([^.]+)\./g, `traefik.$1.routers.$2-${i}.`)
      .replace(/Host\(`([^.`]+)\./g, `Host(\`$1-${i}.`)
      .replace(/(image\s*=\s*"[^"]*:\d+\.\d+\.)\d+/g, `$1${i % 10}`)
      // Keep the generated lab free of static port conflicts: each copy moves its fixed ports.
      .replace(/static\s*=\s*(\d+)/g, (_m, port: string) => `static = ${Number(port) + i}`);
    return { path: path.replace(/(\.nomad(\.hcl)?)$/, `-${i}$1`), content: varied };
  });
}

export async function benchNomadJobs(count = 300): Promise<{ lines: string[]; totalMs: number; perFileMedianMs: number }> {
  const files = generateJobFiles(count);
  const perFile: number[] = [];
  const start = performance.now();
  const jobs: Awaited<ReturnType<typeof parseJobSources>>['jobs'] = [];
  const findings: Awaited<ReturnType<typeof parseJobSources>>['findings'] = [];
  for (const file of files) {
    const t = performance.now();
    const parsed = await parseJobSources([file], hclJobParser);
    perFile.push(performance.now() - t);
    jobs.push(...parsed.jobs);
    findings.push(...parsed.findings);
  }
  const parsedAt = performance.now();
  const validation = validateJobs({ jobs, findings });
  const end = performance.now();

  // The other side of a change shares most files: they come from the parse cache.
  const again = performance.now();
  await parseJobSources(files, hclJobParser);
  const reparseMs = performance.now() - again;

  const sorted = [...perFile].sort((a, b) => a - b);
  const perFileMedianMs = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const totalMs = end - start;
  const errors = validation.filter((f) => f.severity === 'error').length;
  const lines = [
    `nomad jobs: ${files.length} files, ${jobs.length} jobs, ${errors} validation errors, ${validation.length - errors} warnings`,
    `  parse + normalise: ${(parsedAt - start).toFixed(0)} ms (first file ${perFile[0]?.toFixed(1)} ms incl. WASM start; per-file median ${perFileMedianMs.toFixed(2)} ms, p95 ${(sorted[Math.floor(sorted.length * 0.95)] ?? 0).toFixed(2)} ms)`,
    `  validate (all jobs together): ${(end - parsedAt).toFixed(0)} ms`,
    `  the same files again (e.g. base and head sharing them): ${reparseMs.toFixed(0)} ms, parse cache`,
    `  total: ${totalMs.toFixed(0)} ms (target <= ${TARGET_MS} ms: ${totalMs <= TARGET_MS ? 'met' : 'MISSED'})`,
  ];
  return { lines, totalMs, perFileMedianMs };
}
