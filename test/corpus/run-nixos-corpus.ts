// `npx tsx test/corpus/run-nixos-corpus.ts`: classifies every labelled commit of the shared NixOS
// corpus at diff level and prints the confusion matrix and each miss.
import { classifyCorpus, confusionMatrix, medianMs, renderMatrix, renderMisses } from './nixos-corpus.js';

const started = performance.now();
const outcomes = await classifyCorpus((o) => process.stderr.write(o.got === o.commit.label ? '.' : o.got === 'clean' ? 'C' : 'x'));
process.stderr.write('\n');
process.stdout.write(`${renderMatrix(confusionMatrix(outcomes))}\n\nmisses:\n${renderMisses(outcomes)}\n`);
process.stdout.write(`\n${outcomes.length} commits in ${((performance.now() - started) / 1000).toFixed(1)} s; median per commit ${medianMs(outcomes).toFixed(0)} ms (CPU ${medianMs(outcomes, 'cpuMs').toFixed(0)} ms) (slowest ${Math.max(...outcomes.map((o) => o.ms)).toFixed(0)} ms)\n`);
