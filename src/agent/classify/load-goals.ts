// Reads the classification prompt template and the knowledge documents from a goals directory.
// The caller must point at Steward's own goals (or the base revision's), never the change's head.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';

export interface KnowledgeDoc {
  name: string;
  text: string;
}

export interface ClassifyGoals {
  template: string;
  knowledge: KnowledgeDoc[];
}

export async function loadClassifyGoals(goalsDir: string): Promise<ClassifyGoals> {
  const templatePath = join(goalsDir, 'classify.md');
  let template: string;
  try {
    template = await readFile(templatePath, 'utf8');
  } catch (error) {
    throw new ConfigError(goalsDir, [`cannot read the classification prompt ${templatePath}: ${(error as Error).message}`]);
  }
  const knowledgeDir = join(goalsDir, 'knowledge');
  let names: string[] = [];
  try {
    names = (await readdir(knowledgeDir)).filter((n) => n.endsWith('.md')).sort();
  } catch {
    // No knowledge directory: the prompt says so instead of failing.
  }
  const knowledge = await Promise.all(names.map(async (name) => ({ name, text: await readFile(join(knowledgeDir, name), 'utf8') })));
  return { template, knowledge };
}
