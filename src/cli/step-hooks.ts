// Test hooks of the deploy executor, read from the environment by the composition root only:
// STEWARD_TEST_CRASH_AT=<step>[:<target>] kills this process with SIGKILL at that step (a real
// crash: no cleanup runs); STEWARD_TEST_PAUSE_AT=<step>[:<target>]=<ms> pauses there;
// STEWARD_TEST_STOP_AT=<step>[:<target>] stops this process with SIGSTOP there (until a SIGCONT):
// a run frozen past its heartbeat, as a suspended VM or a stalled runner is.
import type { Logger } from '../ports/logger.js';
import { DEPLOY_STEPS, noHooks, type DeployStep, type StepHooks } from '../stages/deploy/context.js';
import { UsageError } from '../errors.js';

interface HookRule {
  step: DeployStep;
  target?: string;
}

function parseRule(text: string, variable: string): HookRule {
  const [step, target] = text.split(':', 2) as [string, string | undefined];
  if (!(DEPLOY_STEPS as readonly string[]).includes(step)) throw new UsageError(`${variable}: unknown step "${step}" (steps: ${DEPLOY_STEPS.join(', ')})`);
  return { step: step as DeployStep, ...(target ? { target } : {}) };
}

const matches = (rule: HookRule, step: DeployStep, target: string) => rule.step === step && (!rule.target || rule.target === target);

export function stepHooksFromEnv(env: NodeJS.ProcessEnv, logger: Logger): StepHooks {
  const crash = env.STEWARD_TEST_CRASH_AT ? parseRule(env.STEWARD_TEST_CRASH_AT, 'STEWARD_TEST_CRASH_AT') : null;
  const stop = env.STEWARD_TEST_STOP_AT ? parseRule(env.STEWARD_TEST_STOP_AT, 'STEWARD_TEST_STOP_AT') : null;
  const pauseText = env.STEWARD_TEST_PAUSE_AT;
  const pause = pauseText ? { ...parseRule(pauseText.slice(0, pauseText.lastIndexOf('=')), 'STEWARD_TEST_PAUSE_AT'), ms: Number(pauseText.slice(pauseText.lastIndexOf('=') + 1)) } : null;
  if (!crash && !pause && !stop) return noHooks;
  return {
    async reached(step, target) {
      if (pause && matches(pause, step, target)) {
        logger.warn(`test hook: pausing ${pause.ms} ms at ${step} (${target})`);
        await new Promise((resolve) => setTimeout(resolve, pause.ms));
      }
      if (stop && matches(stop, step, target)) {
        logger.warn(`test hook: stopping (SIGSTOP) at ${step} (${target})`);
        process.kill(process.pid, 'SIGSTOP');
      }
      if (crash && matches(crash, step, target)) {
        logger.warn(`test hook: crashing at ${step} (${target})`);
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => {});
      }
    },
  };
}
