// `npm run bench`: every benchmark, printing ratios against baselines measured in the same run.
// Set STEWARD_BENCH_RUNS (default 3) and STEWARD_BENCH_HOSTS (default 30) to change the sizes.
import { exampleNixConfig } from '../../src/demo/nix-environment.js';
import { benchPromptSizes } from './llm-prompt.bench.js';
import { benchDeploy } from './deploy.bench.js';
import { benchDiffSize } from './diff-size.bench.js';
import { benchEvalLevel } from './eval-level.bench.js';
import { benchNomadJobs } from './nomad-jobs.bench.js';
import { benchNixosCorpus } from './nixos-corpus.bench.js';
import { promptScenarios } from './prompt-scenarios.js';
import { benchReview } from './review.bench.js';
import { benchRules } from './rules.bench.js';
import { benchServeLoad } from './serve-load.bench.js';

const env = { ...process.env, NIX_CONFIG: exampleNixConfig(process.env.NIX_CONFIG) };
const runs = Number(process.env.STEWARD_BENCH_RUNS ?? 3);
const hosts = Number(process.env.STEWARD_BENCH_HOSTS ?? 30);
const log = (s: string) => process.stderr.write(`${s}\n`);
const out: string[] = [];

out.push(...benchRules().lines);
log('bench: diff-level review of 10k/20k/40k/80k changed lines');
out.push(...(await benchDiffSize(runs)).lines);
out.push(...(await benchNomadJobs()).lines);
out.push(...(await benchNixosCorpus({ log })).lines);
const review = await benchReview({ hosts, evalCost: 2_400_000, runs, env, log });
out.push(...review.lines);
out.push(...(await benchEvalLevel({ runs, env, log })).lines);
log('bench: LLM prompt sizes of every demo scenario');
process.env.NIX_CONFIG = env.NIX_CONFIG;
out.push(...(await benchPromptSizes(await promptScenarios(review.fleet))).lines);
out.push(...(await benchDeploy({ log, env })).lines);
out.push(...(await benchServeLoad({ log })).lines);

process.stdout.write(`\n${out.join('\n')}\n`);
