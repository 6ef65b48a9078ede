// Every `steward` subcommand registers itself here.
import type { Command } from 'commander';
import { registerReview } from './review.js';

export function registerCommands(program: Command): void {
  registerReview(program);
}
