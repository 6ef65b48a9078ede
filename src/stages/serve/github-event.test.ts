import { describe, expect, it } from 'vitest';
import { githubExample } from '../../../test/serve/webhook-fixtures.js';
import { planGitHubEvent } from './github-event.js';

describe('planGitHubEvent', () => {
  it('reviews a pull request from the repository itself, never one from a fork', () => {
    const opened = githubExample('pull_request', (e) => e.action === 'opened');
    expect(planGitHubEvent('pull_request', opened, { mainBranch: 'main' })).toMatchObject({ kind: 'job', payload: { kind: 'review' } });
    opened.pull_request.head.repo = { ...opened.pull_request.head.repo, full_name: 'mallory/infra' };
    expect(planGitHubEvent('pull_request', opened, { mainBranch: 'main' })).toEqual({ kind: 'ignored', why: `pull request #${opened.number} comes from a fork (mallory/infra): review it in CI` });
  });

  it('ignores a push deleting the branch, and calls a payload that is not its event invalid', () => {
    const deleted = githubExample('push', (e) => e.deleted === true);
    expect(planGitHubEvent('push', { ...deleted, ref: 'refs/heads/main' }, { mainBranch: 'main' })).toMatchObject({ kind: 'ignored' });
    expect(planGitHubEvent('push', { ref: 'refs/heads/main' }, { mainBranch: 'main' })).toMatchObject({ kind: 'invalid' });
  });
});
