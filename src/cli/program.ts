/**
 * The `perceptrl` command line. Thin: each command module parses its flags and calls the library.
 * Every command accepts `--help`; the data-producing ones accept `--json`.
 */
import { Command } from 'commander';
import { register as registerCompare } from './commands/compare.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerEval } from './commands/eval.js';
import { register as registerExport } from './commands/export.js';
import { register as registerGym } from './commands/gym.js';
import { register as registerLaunch } from './commands/launch.js';
import { register as registerModel } from './commands/model.js';
import { register as registerModelCard } from './commands/model-card.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerServePolicy } from './commands/serve-policy.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerVerifiers } from './commands/verifiers.js';

export function buildProgram(): Command {
  const program = new Command('perceptrl')
    .description('Reinforcement learning of vision-language models with verifiable visual-perception rewards')
    .version('0.1.0');
  registerVerifiers(program);
  registerDemo(program);
  registerEval(program);
  registerGym(program);
  registerModel(program);
  registerModelCard(program);
  registerServe(program);
  registerServePolicy(program);
  registerExport(program);
  registerLaunch(program);
  registerTrain(program);
  registerCompare(program);
  return program;
}

