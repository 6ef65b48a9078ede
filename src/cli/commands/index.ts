// Every `steward` subcommand registers itself here.
import type { Command } from 'commander';
import { registerAction } from './action.js';
import { registerAsk } from './ask.js';
import { registerCheck } from './check.js';
import { registerDemo } from './demo.js';
import { registerDeploy } from './deploy.js';
import { registerDoctor } from './doctor.js';
import { registerHistory } from './history.js';
import { registerMcp } from './mcp.js';
import { registerOnFailure } from './on-failure.js';
import { registerPropose } from './propose.js';
import { registerReview } from './review.js';
import { registerRules } from './rules.js';
import { registerServe } from './serve.js';
import { registerSim } from './sim.js';

export function registerCommands(program: Command): void {
  registerReview(program);
  registerDeploy(program);
  registerHistory(program);
  registerDemo(program);
  registerDoctor(program);
  registerRules(program);
  registerSim(program);
  registerServe(program);
  registerCheck(program);
  registerOnFailure(program);
  registerAsk(program);
  registerMcp(program);
  registerAction(program);
  registerPropose(program);
}
