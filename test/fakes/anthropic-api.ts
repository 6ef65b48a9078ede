// A scripted fake of the Anthropic Messages API on loopback, for running the REAL Claude Code CLI
// offline. It answers `POST /v1/messages` (the CLI adds `?beta=true`) both as SSE and as JSON.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the scripted model does for one request. */
export type ScriptedTurn =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input: unknown; text?: string }
  | { type: 'error'; status: number; errorType?: string; message?: string }
  /** Never answers: the connection stays open until the client gives up or the fake closes. */
  | { type: 'hang' };

export interface RecordedRequest {
  path: string;
  stream: boolean;
  model: string;
  /** Raw parsed body, for assertions on tools, system prompt, etc. */
  body: Record<string, unknown>;
  /** Every text of the request (system and messages, tool results included), joined: pick answers by this. */
  text: string;
  /** Names of the tools offered to the model. */
  tools: string[];
  /** tool_result blocks of the last message, with the name of the tool_use they answer. */
  toolResults: { toolName: string; content: string; isError: boolean }[];
}

export type Script = (request: RecordedRequest) => ScriptedTurn;

export interface FakeAnthropicApi {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const FAKE_USAGE = { input_tokens: 1200, output_tokens: 80, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

export async function startFakeAnthropicApi(script: Script): Promise<FakeAnthropicApi> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(error) } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    if (req.method !== 'POST' || !path.startsWith('/v1/messages') || path.startsWith('/v1/messages/count_tokens')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no ${req.method} ${path}` } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const recorded = recordRequest(path, body);
    requests.push(recorded);
    const turn = script(recorded);
    if (turn.type === 'hang') return;
    if (turn.type === 'error') {
      res.writeHead(turn.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: turn.errorType ?? 'api_error', message: turn.message ?? 'scripted failure' } }));
      return;
    }
    counter += 1;
    const message = buildMessage(turn, recorded.model, counter);
    if (recorded.stream) writeStream(res, message);
    else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(message));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake API did not bind');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type Block = Record<string, unknown>;

function blocksOf(content: unknown): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as Block[]) : [];
}

function textOf(content: unknown): string {
  return blocksOf(content)
    .map((b) => (typeof b.text === 'string' ? b.text : b.type === 'tool_result' ? textOf(b.content) : ''))
    .join('\n');
}

function recordRequest(path: string, body: Record<string, unknown>): RecordedRequest {
  // The CLI may put `role: "system"` entries inside `messages`: accept them like any other.
  const messages = Array.isArray(body.messages) ? (body.messages as { role: string; content: unknown }[]) : [];
  const toolNames = new Map<string, string>();
  for (const m of messages) for (const b of blocksOf(m.content)) if (b.type === 'tool_use') toolNames.set(String(b.id), String(b.name));
  const last = messages.at(-1);
  const toolResults = blocksOf(last?.content)
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ toolName: toolNames.get(String(b.tool_use_id)) ?? '?', content: textOf(b.content), isError: b.is_error === true }));
  return {
    path,
    stream: body.stream === true,
    model: typeof body.model === 'string' ? body.model : 'unknown',
    body,
    text: [textOf(body.system), ...messages.map((m) => textOf(m.content))].join('\n'),
    tools: Array.isArray(body.tools) ? (body.tools as { name: string }[]).map((t) => t.name) : [],
    toolResults,
  };
}

function buildMessage(turn: Extract<ScriptedTurn, { type: 'text' | 'tool_use' }>, model: string, n: number) {
  const content: Block[] = [];
  if (turn.type === 'text') content.push({ type: 'text', text: turn.text });
  else {
    if (turn.text) content.push({ type: 'text', text: turn.text });
    content.push({ type: 'tool_use', id: `toolu_fake_${n}`, name: turn.name, input: turn.input });
  }
  return {
    id: `msg_fake_${n}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: turn.type === 'tool_use' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: FAKE_USAGE,
  };
}

function writeStream(res: ServerResponse, message: ReturnType<typeof buildMessage>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', {
    type: 'message_start',
    message: { ...message, content: [], stop_reason: null, usage: { ...FAKE_USAGE, output_tokens: 1 } },
  });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } });
    } else {
      send('content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } });
      send('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  });
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: FAKE_USAGE.output_tokens },
  });
  send('message_stop', { type: 'message_stop' });
  res.end();
}
