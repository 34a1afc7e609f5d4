/**
 * Between the toy (one red square, learned in 300-400 steps) and the gym (never learned): the toy's
 * training loop on gym scenes, one difference at a time. Trains a fresh default model (ONNX executor,
 * batch 32, lr 2e-3 after a 30-step warm-up) on "Where is <expression>?" with the full box response,
 * and prints every 100 steps the NLL of the first coordinate's first token on 64 fixed probe items.
 *
 *   --objects N     objects per scene (default 1); -K draws 1..K per scene; 0 takes the grounding
 *                   family's own difficulty-1 items (two or three objects, its prompts)
 *   --minx P        re-draw scenes whose target box starts left of P px (e.g. 10: x1 always two digits)
 *   --fix k=v,...   fix attributes of every object, e.g. shape=square,color=red,pattern=solid,size=medium
 *   --bgfixed       one grey background instead of the gym's four tints
 *   --init DIR      start from a checkpoint (e.g. models/base, which already localises one object)
 *                   instead of a fresh model: isolates binding a description to one of several objects
 *   --attention A   causal (default) or prefix (image and prompt attend to each other, PaliGemma's
 *                   prefix-LM; src/model/config.ts) for a fresh model
 *   --digits        the tokenizer without number pieces (every digit its own token, vocab 512), as
 *                   models made before src/model/tokenizer/vocab.ts had them; units digits then get
 *                   loss weight 0 (src/model/pretrain/coarse-to-fine.ts), as the toy's nounits variant
 *
 *   node --import tsx bench/probes/gym-box-bridge.ts --objects 1 [--digits] [--minx 10] [--steps 600] [--seed 0] [--threads 2]
 *
 * The first token is a tens digit or (below 10) the whole value with --digits, prior about 1.8 nats;
 * with number pieces it is the whole value, prior about ln 55 = 4.0 nats. With --objects 2 the probe
 * also prints the NLL of the other object's x1 at the same place: binding shows as the target's NLL
 * falling below the distractor's (equal: the model localises objects but not the one named).
 */
import { fineDigitWeights, weightedNll } from '../../src/model/pretrain/coarse-to-fine.js';
import { generateSample } from '../../src/gym/registry.js';
import { boxesJson, randomRequest } from '../../src/gym/families/scene-tasks/common.js';
import { generateScene, type ObjectRequest } from '../../src/gym/scene/generate.js';
import { expressionText, referTo } from '../../src/gym/scene/refer.js';
import { renderScene } from '../../src/gym/scene/render.js';
import { EmbeddedPolicy } from '../../src/policy/embedded.js';
import { Rng } from '../../src/util/rng.js';
import { encodeItems, firstCoordinateNll, probePolicy, tokenPieces, type BoxItem } from './shared.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const steps = Number(arg('steps', '600'));
const objects = Number(arg('objects', '1'));
const seed = Number(arg('seed', '0'));
const minx = Number(arg('minx', '0'));
const fix = Object.fromEntries(arg('fix', '').split(',').filter(Boolean).map((kv) => kv.split('='))) as Partial<ObjectRequest>;
const bgFixed = args.includes('--bgfixed');
const digits = args.includes('--digits');
const LR = 2e-3;

type Item = BoxItem;

/** One training or probe item; `stream` numbers the grounding family's samples when --objects 0. */
function item(rng: Rng, stream: { seed: number; next: number }): Item {
  if (objects === 0) {
    const { sample, images } = generateSample('grounding', stream.seed, stream.next++, { size: 64, difficulty: 1 });
    const question = sample.prompt.replace('<image>\n', '').split(/(?<=[.?!]) /)[0]!;
    return { png: images[0]!.png, prompt: `<image>\n${question}`, text: String(sample.meta!.reference_response) };
  }
  for (;;) {
    const n = objects < 0 ? rng.int(1, -objects) : objects;
    const requests = Array.from({ length: n }, () => ({ ...randomRequest(rng, true), ...fix }));
    const scene = generateScene(rng, { size: 64, difficulty: 1, objects: requests });
    const target = scene.objects[0];
    if (!target || target.box[0] < minx) continue;
    const expression = referTo(rng, scene, target, { usePattern: true, preferRelation: false });
    if (!expression) continue;
    if (bgFixed) scene.background = [238, 238, 238];
    const phrase = expressionText(expression);
    const label = expressionText({ target: expression.target }, false);
    const answer = (box: typeof target.box) => `<think>\n${phrase}\n</think>\n<answer>\n${boxesJson([{ bbox: box, label }])}\n</answer>`;
    const other = scene.objects[1];
    return { png: renderScene(scene).png, prompt: `<image>\nWhere is ${phrase}?`, text: answer(target.box), ...(other ? { distractorText: answer(other.box) } : {}) };
  }
}

const init = arg('init', '');
const policy = init
  ? await EmbeddedPolicy.load(init, { promptStyle: 'compact', executor: 'onnx', threads: Number(arg('threads', '2')) })
  : await probePolicy(seed, Number(arg('threads', '2')), digits, { attention: arg('attention', 'causal') as 'causal' | 'prefix' });
const pieces = (tokens: readonly number[]) => tokenPieces(policy, tokens);
const encode = (items: readonly Item[]) => encodeItems(policy, items);

const probeRng = new Rng('bridge/probe');
const probeStream = { seed: 900001, next: 0 };
const probeItems = Array.from({ length: 64 }, () => item(probeRng, probeStream));
const probeEncoded = await encode(probeItems);
const distractors = objects === 2 ? probeItems.map((it) => ({ ...it, text: it.distractorText! })) : null;
console.log(`e.g. ${probeItems[0]!.prompt.replace('\n', ' ')} -> ${probeItems[0]!.text.replace(/\n/g, ' ')}`);

const rng = new Rng(`bridge/train/${seed}`);
const stream = { seed: 12345 + seed, next: 0 };
const tag = `${init ? `from ${init} ` : ''}${args.includes('--attention') ? `${arg('attention', '')} ` : ''}objects ${objects}${minx ? ` minx ${minx}` : ''}${args.includes('--fix') ? ' fixed' : ''}${bgFixed ? ' bgfixed' : ''} ${digits ? 'digits' : 'numbers'} seed ${seed}`;
for (let step = 0; step <= steps; step++) {
  if (step % 100 === 0) {
    await policy.sync();
    const nll = await firstCoordinateNll(policy, probeItems, probeEncoded);
    const other = distractors ? ` (distractor's ${(await firstCoordinateNll(policy, distractors, probeEncoded)).toFixed(3)})` : '';
    console.log(`${tag} step ${step}: first-coordinate NLL ${nll.toFixed(3)} nats${other}`);
  }
  if (step === steps) break;
  const items = Array.from({ length: 32 }, () => item(rng, stream));
  const rows = items.map((it, i) => ({ prompt: i, tokens: [...policy.tokenize(it.text), policy.eosId] }));
  const weights = rows.map((r) => fineDigitWeights(pieces(r.tokens), digits ? 0 : 1));
  await policy.step(await encode(items), rows, weightedNll(weights), { lr: step < 30 ? (LR * step) / 30 : LR, weightDecay: 0.1, clipNorm: 1, beta1: 0.9, beta2: 0.95 });
}
await policy.close();
