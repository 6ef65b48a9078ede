// Every `steward` subcommand registers itself here.
import type { Command } from 'commander';

export function registerCommands(program: Command): void {
  void program;
}
