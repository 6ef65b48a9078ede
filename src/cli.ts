#!/usr/bin/env node
// Composition root of the `steward` command: parses argv and hands each command its wiring.
import { Command } from 'commander';
import { registerCommands } from './cli/commands/index.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('steward')
    .description('GitOps intelligence for NixOS + Nomad homelabs: review, classify, deploy and verify every change.')
    .version(VERSION)
    .option('-v, --verbose', 'more progress detail on stderr')
    .option('-q, --quiet', 'no progress on stderr, only warnings and errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride((error) => {
      // Commander's own usage errors (unknown option, missing argument) are exit code 2.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') process.exit(0);
      process.exit(2);
    });
  registerCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
