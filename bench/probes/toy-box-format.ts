/**
 * Why box coordinates were slow to learn (issue 4), on a toy where localisation is trivial: one red
 * square (6-14 px) on a grey 64-px canvas, optionally with blue distractor squares, prompt "Where is
 * the red square?", target the full response with the square's box. Trains a fresh default model
 * (ONNX executor, batch 32, lr 2e-3 after a 30-step warm-up) and prints, every 100 steps, the NLL of
 * the first coordinate's leading digit on 64 fixed probe images. Variants of the target:
 *   full     the pixel box, every token weighted 1 (plain mean NLL)
 *   nounits  the pixel box, units digits weighted 0 (src/model/pretrain/coarse-to-fine.ts)
 *   tens     the box in tens of pixels ("[4, 1, 5, 2]"): every coordinate token is predictable
 *
 * With --vary, the prompt and the think repeat "very" 0-8 times ("Where is the very very red square?"),
 * so the answer sits at a different token position in each sample (as with the gym's varied prompts).
 *
 * With --select, the canvas holds a red and a blue square and the prompt names one of them at random:
 * the model must pick the object the text describes (as grounding does), not a fixed colour.
 *
 * --digits uses the tokenizer without number pieces (vocab 512), with which every number below was
 * measured (the default tokenizer has made each coordinate one token since; see gym-box-bridge.ts).
 *
 *   node --import tsx bench/probes/toy-box-format.ts --variant nounits --digits [--steps 600] [--distract 0] [--vary] [--select] [--seed 0] [--threads 2]
 *
 * --seed sets the model init and the training stream (the probe images stay fixed). The step at which
 * the loss leaves its plateau varies between seeds (300 to past 500 steps for the same variant), so
 * compare variants over several seeds.
 */
import { createCanvas } from '@napi-rs/canvas';
import { fineDigitWeights, weightedNll } from '../../src/model/pretrain/coarse-to-fine.js';
import { encodeItems, firstCoordinateNll, probePolicy, tokenPieces, type BoxItem } from './shared.js';
import { Rng } from '../../src/util/rng.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const variant = arg('variant', 'full');
if (!['full', 'nounits', 'tens'].includes(variant)) throw new Error(`--variant must be full, nounits or tens, got ${variant}`);
const steps = Number(arg('steps', '600'));
const distract = Number(arg('distract', '0'));
const vary = args.includes('--vary');
const select = args.includes('--select');
const seed = Number(arg('seed', '0'));
const COLORS = { red: '#e03030', blue: '#3050e0' } as const;
const LR = 2e-3;

type ToyItem = BoxItem;

function toy(rng: Rng): ToyItem {
  const canvas = createCanvas(64, 64);
  const g = canvas.getContext('2d');
  g.fillStyle = '#eeeeee';
  g.fillRect(0, 0, 64, 64);
  g.fillStyle = '#3050e0';
  for (let d = 0; d < distract; d++) g.fillRect(rng.int(0, 55), rng.int(0, 55), 8, 8);
  const s = rng.int(8, 14);
  const x = rng.int(10, 63 - s); // x1 >= 10: its first digit is the tens digit
  const y = rng.int(0, 63 - s);
  const target = select && rng.bool(0.5) ? 'blue' : 'red';
  if (select) {
    // the other colour's square, placed where it does not overlap the target
    let ox = 0;
    let oy = 0;
    do [ox, oy] = [rng.int(0, 53), rng.int(0, 53)]; while (ox < x + s && ox + 10 > x && oy < y + s && oy + 10 > y);
    g.fillStyle = COLORS[target === 'red' ? 'blue' : 'red'];
    g.fillRect(ox, oy, 10, 10);
  }
  g.fillStyle = COLORS[target];
  g.fillRect(x, y, s, s);
  const box = [x, y, x + s, y + s].map((v) => (variant === 'tens' ? Math.floor(v / 10) : v));
  const very = vary ? 'very '.repeat(rng.int(0, 8)) : '';
  const text = `<think>\nthe ${very}${target} square\n</think>\n<answer>\n[{"bbox_2d": [${box.join(', ')}], "label": "${target} square"}]\n</answer>`;
  return { png: canvas.toBuffer('image/png'), prompt: `<image>\nWhere is the ${very}${target} square?`, text };
}

const policy = await probePolicy(seed, Number(arg('threads', '2')), args.includes('--digits'));
const pieces = (tokens: readonly number[]) => tokenPieces(policy, tokens);
const encode = (items: readonly ToyItem[]) => encodeItems(policy, items);

const probeRng = new Rng('toy-box-format/probe');
const probeItems = Array.from({ length: 64 }, () => toy(probeRng));
const probeEncoded = await encode(probeItems);
/** Mean NLL of the first coordinate's leading token on the probe images. */
const leadingDigitNll = () => firstCoordinateNll(policy, probeItems, probeEncoded);

const rng = new Rng(seed === 0 ? 'toy-box-format/train' : `toy-box-format/train/${seed}`);
for (let step = 0; step <= steps; step++) {
  if (step % 100 === 0) {
    await policy.sync();
    console.log(`${variant}${vary ? ' vary' : ''}${select ? ' select' : ''} seed ${seed} step ${step}: leading-digit NLL ${(await leadingDigitNll()).toFixed(3)} nats`);
  }
  if (step === steps) break;
  const items = Array.from({ length: 32 }, () => toy(rng));
  const rows = items.map((it, i) => ({ prompt: i, tokens: [...policy.tokenize(it.text), policy.eosId] }));
  const weights = rows.map((r) => fineDigitWeights(pieces(r.tokens), variant === 'nounits' ? 0 : 1));
  await policy.step(await encode(items), rows, weightedNll(weights), { lr: step < 30 ? (LR * step) / 30 : LR, weightDecay: 0.1, clipNorm: 1, beta1: 0.9, beta2: 0.95 });
}
await policy.close();
