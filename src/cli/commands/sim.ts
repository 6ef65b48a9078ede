// `steward sim`: runs the Nomad + Consul simulator on loopback until SIGINT/SIGTERM, for trying
// Steward by hand: it prints `export NOMAD_ADDR=...` lines to paste into another shell.
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { SCENARIOS, type ScenarioName } from '../../sim/scenarios.js';
import { startSimulator } from '../../sim/simulator.js';
import { action, type CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';

export interface SimCommandOptions {
  port: number;
  consulPort: number;
  scenario: string;
  host: string;
  datacenter: string;
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run a simulated Nomad + Consul cluster on loopback (until Ctrl-C)')
    .option('--port <n>', 'Nomad API port (0 picks a free one)', parsePort, 4646)
    .option('--consul-port <n>', 'Consul API port (0 picks a free one)', parsePort, 8500)
    .option('--scenario <name>', `starting state: ${SCENARIOS.join(', ')}`, 'healthy')
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('--datacenter <name>', 'datacenter of the simulated clients (jobs must name it)', 'dc1')
    .action(action(program, (ctx: CliContext, options: SimCommandOptions) => runSim(ctx, options, untilSignal())));
}

/** Runs the simulator until `until` settles; prints the addresses on stdout, progress on stderr. */
export async function runSim(ctx: Pick<CliContext, 'out' | 'logger'>, options: SimCommandOptions, until: Promise<unknown>): Promise<ExitCode> {
  if (!(SCENARIOS as readonly string[]).includes(options.scenario)) {
    throw new UsageError(`unknown scenario "${options.scenario}" (choose one of: ${SCENARIOS.join(', ')})`);
  }
  // The simulator has no authentication by default: it never listens beyond this machine.
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(options.host)) throw new UsageError(`--host must be a loopback address, not ${options.host}`);
  const sim = await startSimulator({ host: options.host, port: options.port, consulPort: options.consulPort, scenario: options.scenario as ScenarioName, datacenter: options.datacenter, clock: 'real' }).catch(
    (error: unknown) => {
      if ((error as { code?: string }).code === 'EADDRINUSE') throw new UsageError(`a port is already in use (${(error as Error).message}); pick others with --port and --consul-port (0 picks free ones)`);
      throw error;
    },
  );
  try {
    ctx.out(`export NOMAD_ADDR=${sim.nomadUrl}\nexport CONSUL_HTTP_ADDR=${sim.consulUrl}`);
    ctx.logger.info(`simulator running (scenario ${options.scenario}): Nomad ${sim.nomadUrl}, Consul ${sim.consulUrl}; Ctrl-C to stop`);
    await until;
    ctx.logger.info(`simulator stopping after ${sim.control.requests.count()} requests`);
  } finally {
    await sim.close();
  }
  return ExitCode.ok;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return port;
}
