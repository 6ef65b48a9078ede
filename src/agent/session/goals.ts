// The goal of a session: Steward's own `goals/<goal>.md`, then the homelab repository's
// `.steward/goals/<goal>.md` from main's committed tree when it has one (an addition, not a
// replacement: Steward's safety instructions always stay).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SessionEnvironment } from './environment.js';
import { mainCommit } from './context/knowledge.js';

export async function loadGoal(env: SessionEnvironment, goal: string): Promise<string> {
  const own = await readFile(path.join(env.goalsDir, `${goal}.md`), 'utf8').catch(() => `# ${goal}\n(Steward's goal file is missing.)`);
  if (!env.git) return own;
  const repo = await mainCommit(env.git, env.config.agent.mainBranch)
    .then((sha) => env.git!.show(sha, `.steward/goals/${goal}.md`))
    .catch(() => null);
  return repo ? `${own}\n\n## The homelab's own notes for this goal (.steward/goals/${goal}.md on main)\n${repo}` : own;
}
