// Checks the scripted Anthropic API fake itself: streaming and non-streaming answers, errors,
// `role: "system"` entries, and tool results matched to their tool calls.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropicApi, type FakeAnthropicApi } from './anthropic-api.js';

let api: FakeAnthropicApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/messages?beta=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('startFakeAnthropicApi', () => {
  it('answers a non-streaming request with a tool_use message', async () => {
    api = await startFakeAnthropicApi(() => ({ type: 'tool_use', name: 'StructuredOutput', input: { label: 'clean' } }));
    const res = await post(api.url, { model: 'm', stream: false, messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'hi' }] });
    const message = (await res.json()) as { content: { type: string; input?: unknown }[]; stop_reason: string };
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({ type: 'tool_use', input: { label: 'clean' } });
    expect(api.requests[0]?.text).toContain('sys\nhi');
  });

  it('streams the same message as server-sent events', async () => {
    api = await startFakeAnthropicApi(() => ({ type: 'text', text: 'hello' }));
    const res = await post(api.url, { model: 'm', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n').filter((l) => l.startsWith('event: ')).map((l) => l.slice(7));
    expect(events).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  });

  it('returns a scripted error status', async () => {
    api = await startFakeAnthropicApi(() => ({ type: 'error', status: 529, errorType: 'overloaded_error' }));
    const res = await post(api.url, { model: 'm', messages: [] });
    expect(res.status).toBe(529);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('names the tool each tool_result answers', async () => {
    api = await startFakeAnthropicApi(() => ({ type: 'text', text: 'ok' }));
    await post(api.url, {
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'denied' }] },
      ],
    });
    expect(api.requests[0]?.toolResults).toEqual([{ toolName: 'Bash', content: 'denied', isError: true }]);
  });
});
