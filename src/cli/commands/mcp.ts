// `steward mcp`: Steward's MCP server on stdio, started by Claude Code for one agent session
// (`--session`). stdout carries the protocol; progress and errors go to stderr.
import type { Command } from 'commander';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createStewardMcpServer } from '../../agent/mcp/server.js';
import { action, type CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { wireSession, type SessionFlags } from '../session-wiring.js';

interface McpFlags extends SessionFlags {
  session: string;
  readOnly?: boolean;
}

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description("Steward's MCP server (stdio): the tools of an agent session. Started by Claude Code, not by people.")
    .requiredOption('--session <id>', 'the session these tool calls belong to (records, budget)')
    .option('--read-only', 'no action tools (a question)')
    .option('--repo <dir>', 'the homelab repository (default: the current directory)')
    .option('--config <file>', 'configuration file (default: <repo>/steward.json)')
    .option('--state <file>', 'the state database')
    .option('--hosts-root <dir>', 'fixture hosts: every host is a directory <dir>/<host>')
    .action(action(program, (ctx, flags: McpFlags) => serveMcp(ctx, flags)));
}

async function serveMcp(ctx: CliContext, flags: McpFlags): Promise<ExitCode> {
  const wiring = await wireSession(ctx, flags);
  const server = createStewardMcpServer(wiring.env, { sessionId: flags.session, readOnly: flags.readOnly ?? false });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  // Claude Code closes stdin when the session ends.
  process.stdin.on('end', () => void server.close());
  await closed;
  wiring.close();
  return ExitCode.ok;
}
