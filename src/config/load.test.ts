import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig, parseConfigText } from './load.js';
import { DEFAULT_CRITICAL_UNITS } from './defaults.js';

const problemsOf = (text: string): string[] => {
  try {
    parseConfigText(text, 'steward.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('parseConfigText', () => {
  it('fills defaults so that an empty object is a complete configuration', () => {
    const config = parseConfigText('{}', 'steward.json');
    expect(config.classify.criticalUnits).toEqual(DEFAULT_CRITICAL_UNITS);
    expect(config.nix.evalWorkers).toBe('auto');
    expect(config.llm.mode).toBe('auto');
  });
  it('reports every problem at once, each with file:line:column', () => {
    const text = `{
  "hosts": {
    "nas": { "roles": ["nfs-serve"], "batch": -1 }
  },
  "nix": { "evalWorkers": 0 },
  "unknownKey": true
}`;
    const problems = problemsOf(text);
    expect(problems).toHaveLength(4);
    expect(problems).toContainEqual(expect.stringMatching(/^steward\.json:3:24: hosts\.nas\.roles\[0\]: /));
    expect(problems).toContainEqual(expect.stringMatching(/^steward\.json:3:47: hosts\.nas\.batch: /));
    expect(problems).toContainEqual(expect.stringMatching(/^steward\.json:5:27: nix\.evalWorkers: /));
    expect(problems).toContainEqual(expect.stringMatching(/^steward\.json:6:3: \(root\): Unrecognized key.*unknownKey/));
  });
  it('reports JSON syntax errors with their position', () => {
    expect(problemsOf('{\n  "hosts": {,\n}')[0]).toMatch(/^steward\.json:2:13: value expected/);
  });
  it('refuses tokens written into the file: only environment variable names are accepted', () => {
    expect(problemsOf('{ "nomad": { "tokenEnv": "s3cr3t-t0ken value" } }')[0]).toMatch(/nomad\.tokenEnv: must be an environment variable name/);
  });
});

describe('loadConfig', () => {
  it('uses defaults when the repository has no steward.json', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-config-'));
    expect(await loadConfig(dir)).toMatchObject({ file: null, config: { hosts: {} } });
  });
  it('reads steward.json from the repository', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'steward-config-'));
    await writeFile(path.join(dir, 'steward.json'), '{ "hosts": { "nas": { "roles": ["nfs-server"] } } }');
    expect((await loadConfig(dir)).config.hosts.nas?.roles).toEqual(['nfs-server']);
  });
  it('fails clearly when an explicit file is missing', async () => {
    await expect(loadConfig('/tmp', '/nonexistent/steward.json')).rejects.toThrow(ConfigError);
  });
});
