// The README stays in step with the product: every rule, command, exit code and config key.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/cli/commands/index.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { HostConfig, StewardConfig } from '../../src/config/schema.js';
import { listRules } from '../../src/stages/classify/classify-rules.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README.md', () => {
  it('lists every classification rule', () => {
    expect(listRules().filter((r) => !readme.includes(`\`${r.id}\``)).map((r) => r.id)).toEqual([]);
  });
  it('documents every command', () => {
    const program = new Command('steward');
    registerCommands(program);
    expect(program.commands.map((c) => c.name()).filter((name) => !readme.includes(`steward ${name}`))).toEqual([]);
  });
  it('documents every exit code', () => {
    for (const code of Object.values(ExitCode)) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
  it('documents every configuration key', () => {
    const missing: string[] = [];
    for (const [section, schema] of Object.entries(StewardConfig.shape)) {
      if (section === '$schema') continue;
      const inner = (schema as { unwrap?: () => unknown }).unwrap?.() as { shape?: Record<string, unknown> } | undefined;
      const keys = section === 'hosts' ? Object.keys(HostConfig.shape) : Object.keys(inner?.shape ?? {});
      for (const key of keys) {
        const name = section === 'hosts' ? `hosts.<name>.${key}` : `${section}.${key}`;
        if (!readme.includes(`\`${name}\``) && !readme.includes(`\`${section}.${key}\`,`)) missing.push(name);
      }
    }
    expect(missing).toEqual([]);
  });
});
