// The dashboard issue against the GitHub double: created once, edited in place, listing open,
// waiting and ignored proposals, with model or registry text escaped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitClient } from '../../src/adapters/github-octokit/client.js';
import { createGitHubDashboard } from '../../src/adapters/proposal-dashboard/github-dashboard.js';
import { SqliteProposalStore } from '../../src/adapters/store-sqlite/proposal-store.js';
import { updateDashboard } from '../../src/agent/propose/dashboard.js';
import type { ProposalOutcome } from '../../src/agent/propose/run-propose.js';
import { Redactor } from '../../src/redact.js';
import { capturingLogger, TOKEN, useSeededDouble } from './fixtures.js';

const ctx = useSeededDouble();
let store: SqliteProposalStore;
beforeEach(() => {
  store = new SqliteProposalStore({ file: ':memory:' });
});
afterEach(() => store.close());

function dashboard() {
  const redactor = new Redactor();
  const octokit = createOctokitClient({ token: TOKEN, baseUrl: ctx.double.url, redactor, logger: capturingLogger(redactor), pacing: 'none', waitUnitMs: 1 });
  return createGitHubDashboard({ octokit, repository: ctx.double.state.fullName, redactor });
}

const outcome = (over: Partial<ProposalOutcome>): ProposalOutcome => ({ topic: 'image-postgres', title: 'Update postgres to 16.6', result: 'opened', why: '', prNumber: 7, ...over });

describe('updateDashboard', () => {
  it('creates the issue once and edits it in place', async () => {
    const first = await updateDashboard(dashboard(), store, [outcome({}), outcome({ topic: 'memory-grafana', title: 'Right-size memory of grafana', result: 'capped', prNumber: undefined })]);
    store.markIgnored('image-redis', 'Update redis to 7.4', 3, '2025-03-01T00:00:00Z');
    const second = await updateDashboard(dashboard(), store, [outcome({ result: 'unchanged', title: 'Update [x](javascript:1) @admins' })]);
    expect(second).toBe(first);
    expect(ctx.double.state.issues).toHaveLength(1);
    const body = ctx.double.state.issues[0]!.body!;
    expect(body).toContain('- #7 `image-postgres`');
    expect(body).toContain('`image-redis`: Update redis to 7.4 (#3)');
    expect(body).not.toContain('[x](');
    expect(body).toContain('@&#8203;admins');
  });
});
