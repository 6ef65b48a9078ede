// Parses what switch-to-configuration prints: the `dry-activate` plan ("would restart the
// following units: ...") and the same sections of a real `switch`, in the present tense
// (NIXOS-FACTS.md). Unit names are joined by ", "; empty sections are omitted by NixOS.
import type { SwitchPlan } from '../../ports/host.js';

type ListKey = 'stop' | 'start' | 'restart' | 'reload' | 'skip' | 'newStarted' | 'failed';

const LIST_PREFIXES: Array<[string, ListKey]> = [
  ['would stop the following units:', 'stop'],
  ['stopping the following units:', 'stop'],
  ['would NOT stop the following changed units:', 'skip'],
  ['NOT restarting the following changed units:', 'skip'],
  ['would reload the following units:', 'reload'],
  ['reloading the following units:', 'reload'],
  ['would restart the following units:', 'restart'],
  ['restarting the following units:', 'restart'],
  ['would start the following units:', 'start'],
  ['starting the following units:', 'start'],
  ['the following new units were started:', 'newStarted'],
  ['warning: the following units failed:', 'failed'],
];

export function emptySwitchPlan(): SwitchPlan {
  return { stop: [], start: [], restart: [], reload: [], skip: [], swapStop: [], restartSystemd: false, newStarted: [], failed: [] };
}

export function parseSwitchOutput(output: string): SwitchPlan {
  const plan = emptySwitchPlan();
  // Colour codes appear when NixOS thinks it writes to a terminal; they are never part of a name.
  for (const raw of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const line = raw.trim();
    const swap = /^(?:would stop|stopping) swap device: (.+)$/.exec(line);
    if (swap) {
      plan.swapStop.push(swap[1]!.trim());
      continue;
    }
    if (/^(?:would restart systemd|restarting systemd\.\.\.)$/.test(line)) {
      plan.restartSystemd = true;
      continue;
    }
    const match = LIST_PREFIXES.find(([prefix]) => line.startsWith(prefix));
    if (!match) continue;
    const units = line
      .slice(match[0].length)
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    plan[match[1]].push(...units);
  }
  for (const key of ['stop', 'start', 'restart', 'reload', 'skip', 'newStarted', 'failed'] as const) plan[key] = [...new Set(plan[key])].sort();
  return plan;
}
