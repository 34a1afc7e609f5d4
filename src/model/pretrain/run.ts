/**
 * `perceptrl pretrain`: supervised pre-training of the embedded VLM on gym tasks (issue 4). The loop
 * has visible phases: draw a batch from the weighted gym mix (seeds in the pre-training range),
 * target = the sample's reference response + EOS, one AdamW step on the mean token NLL with a
 * warm-up + cosine learning rate, periodic greedy evaluation on a frozen held-out set scored by each
 * sample's verifier (src/train/heldout.ts, the same code RL runs use), and resumable checkpoints.
 * Resume: the checkpoint's meta carries the step and the data cursor, and the data stream is keyed
 * by step, so a resumed run draws exactly the batches an uninterrupted one would.
 *
 * Not here: the long run and the committed models/base (its model card records the command).
 */
import { access, appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedPolicy } from '../../policy/index.js';
import { drawBatch, gymSources, type DataCursor } from '../../train/data.js';
import { asTaskDefault, type DataSourceConfig } from '../../train/config.js';
import { buildHeldout, evaluatePolicy } from '../../train/heldout.js';
import { defaultRegistry } from '../../verifiers/index.js';
import { parseModelConfig } from '../config.js';
import { meanNll } from '../tfjs/trainer.js';
import { fineDigitWeight, fineDigitWeights, weightedNll } from './coarse-to-fine.js';
import { learningRate, sourceActive, type PretrainConfig } from './config.js';

export interface PretrainStepInfo {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  tokensPerSecond: number;
}

export interface PretrainEval {
  step: number;
  scores: Record<string, number>;
  accuracy: Record<string, number>;
}

export interface PretrainOptions {
  /** Continue from `<out>/checkpoints/last` when it exists. */
  resume?: boolean;
  onStep?: (info: PretrainStepInfo) => void;
  onEval?: (result: PretrainEval) => void;
  onEvalProgress?: (done: number, total: number) => void;
}

interface PretrainMeta {
  kind: 'pretrain';
  step: number;
  cursor: DataCursor;
  evals: PretrainEval[];
}

const exists = (path: string) => access(path).then(() => true, () => false);

export async function runPretrain(config: PretrainConfig, options: PretrainOptions = {}): Promise<{ steps: number; evals: PretrainEval[] }> {
  const modelConfig = parseModelConfig(config.model.config, 'pretrain.model.config');
  const last = join(config.out, 'checkpoints', 'last');
  const policyOptions = { promptStyle: config.model.prompt_style, threads: config.model.threads, executor: config.model.executor };
  const resumed = options.resume === true && (await exists(join(last, 'config.json')));
  const policy = resumed
    ? await EmbeddedPolicy.load(last, policyOptions)
    : await EmbeddedPolicy.create(config.model.config, config.model.init_seed, policyOptions);
  const meta = resumed ? (policy.meta as unknown as PretrainMeta) : { kind: 'pretrain' as const, step: 0, cursor: {}, evals: [] };
  await mkdir(config.out, { recursive: true });
  await writeFile(join(config.out, 'config.json'), `${JSON.stringify({ ...config, resolved_model: modelConfig }, null, 2)}\n`);

  const sourceConfigs: DataSourceConfig[] = config.data.sources.map((s) => ({ task: s.task, weight: s.weight, difficulty: s.difficulty, image_size: null, verifier: null }));
  const sources = gymSources(sourceConfigs, config.data.seed, modelConfig.imageSize);
  // the held-out set is RL's: each task once, difficulty drawn per item whatever the training mix fixes
  const heldout = buildHeldout(sourceConfigs.map(asTaskDefault), config.eval.heldout_per_task, config.eval.heldout_seed, modelConfig.imageSize);
  const registry = defaultRegistry();
  let cursor = meta.cursor;
  const evals = [...meta.evals];
  const { train } = config;
  try {
    for (let step = meta.step; step < train.steps; step++) {
      const t0 = performance.now();
      // 1. batch: reference responses of the drawn samples (items without one are skipped)
      // (curriculum: only the sources whose from_step / until_step window holds this step)
      const active = sources.filter((_, i) => sourceActive(config.data.sources[i]!, step));
      const drawn = drawBatch(active, cursor, train.batch_size, `${config.data.seed}/pretrain/${step}`);
      cursor = drawn.cursor;
      const usable = drawn.items.filter((item) => typeof item.meta.reference_response === 'string');
      let loss = Number.NaN;
      let gradNorm = Number.NaN;
      let tokens = 0;
      let cut = 0;
      const lr = learningRate(train, step);
      const fine = fineDigitWeight(train.fine_digits, step);
      if (usable.length > 0) {
        const encoded = await policy.encode(usable.map((item) => item.prompt));
        const rows = usable.map((item, i) => {
          const room = Math.min(train.max_response_tokens, modelConfig.maxTextLength - 1 - encoded.promptTokens[i]!.length);
          const target = [...policy.tokenize(item.meta.reference_response as string), policy.eosId];
          if (target.length > room) cut++;
          return { prompt: i, tokens: target.slice(0, Math.max(1, room)) };
        });
        tokens = rows.reduce((n, r) => n + r.tokens.length + encoded.promptTokens[r.prompt]!.length, 0);
        // 2. one AdamW step on the mean token NLL (trailing digits down-weighted while the coarse-to-fine ramp is below 1)
        const objective = fine < 1
          ? weightedNll(rows.map((r) => fineDigitWeights(r.tokens.map((t) => policy.model.tokenizer.decode([t])), fine)))
          : meanNll;
        ({ loss, gradNorm } = await policy.step(encoded, rows, objective, { lr, weightDecay: train.weight_decay, clipNorm: train.clip_norm, beta1: train.beta1, beta2: train.beta2 }));
      }
      const seconds = (performance.now() - t0) / 1000;
      await appendFile(join(config.out, 'metrics.jsonl'), `${JSON.stringify({ step: step + 1, loss, grad_norm: gradNorm, lr, tokens, seconds, skipped: drawn.items.length - usable.length, cut, fine_digit_weight: fine })}\n`);
      options.onStep?.({ step: step + 1, totalSteps: train.steps, loss, lr, tokensPerSecond: tokens / seconds });
      const done = step + 1;
      // 3. periodic held-out evaluation (greedy, scored by each sample's verifier)
      if (done % config.eval.every === 0 || done === train.steps) {
        await policy.sync();
        const result = await evaluatePolicy(policy, registry, heldout, {
          batchSize: config.eval.batch_size, maxTokens: config.eval.max_tokens, ...(options.onEvalProgress ? { onProgress: options.onEvalProgress } : {}),
        });
        const entry: PretrainEval = {
          step: done,
          scores: Object.fromEntries(Object.entries(result.tasks).map(([t, r]) => [t, r.score])),
          accuracy: Object.fromEntries(Object.entries(result.tasks).map(([t, r]) => [t, r.accuracy])),
        };
        evals.push(entry);
        await appendFile(join(config.out, 'eval.jsonl'), `${JSON.stringify({ ...entry, heldout_seed: result.heldout_seed, heldout_hash: result.heldout_hash })}\n`);
        options.onEval?.(entry);
      }
      // 4. resumable checkpoint (weights, optimizer, step, data cursor)
      if (done % config.checkpoint_every === 0 || done === train.steps) {
        const state: PretrainMeta = { kind: 'pretrain', step: done, cursor, evals };
        await policy.save(last, state as unknown as Record<string, unknown>);
      }
    }
    if (config.export) {
      policy.model.meta = { kind: 'pretrain', steps: train.steps, evals, recipe: config };
      await policy.model.save(config.export, { dtype: 'F16', withOptimizer: false });
    }
    return { steps: train.steps, evals };
  } finally {
    await policy.close();
  }
}
