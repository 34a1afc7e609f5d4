/**
 * Has a checkpoint learned where things are? Per-token NLL (nats) of the box coordinates in the
 * reference answers of held-out grounding items (seed 900001, difficulty drawn per item, as RL's
 * held-out set), split by coordinate (x1 y1 x2 y2) and digit: T = tens digit of a two-digit value,
 * U = its units digit, S = a one-digit value. An image-blind model sits near the prior (about 1.8
 * nats for a leading tens digit, 2.3 for a units digit); localisation shows as x1T / y1T falling.
 *
 * --difficulty D fixes the gym difficulty (1-5) of the items instead; --task T reads another
 * one-box task's items (localization, search, digits-grounding).
 *
 *   node --import tsx bench/probes/coordinate-nll.ts models/base [runs/pretrain/checkpoints/last ...] [--n 100] [--difficulty D] [--task T]
 */
import { EmbeddedPolicy } from '../../src/policy/embedded.js';
import { buildHeldout } from '../../src/train/heldout.js';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : null);
const n = flag('n') ?? 100;
const difficulty = flag('difficulty');
const task = args.includes('--task') ? args[args.indexOf('--task') + 1]! : 'grounding';
const dirs = args.filter((a, i) => !a.startsWith('--') && !['--n', '--difficulty', '--task'].includes(args[i - 1]!));
const NAMES = ['x1', 'y1', 'x2', 'y2'];
const heldout = buildHeldout([{ task, weight: 1, difficulty, image_size: null, verifier: null }], n, 900001, 64);
const items = heldout.tasks[task]!;

for (const dir of dirs) {
  const policy = await EmbeddedPolicy.load(dir, { promptStyle: 'compact', executor: 'onnx' });
  const encoded = await policy.encode(items.map((item) => item.prompt));
  const texts = items.map((item) => String(item.meta.reference_response));
  const tokens = texts.map((t) => policy.tokenize(t));
  const lp = await policy.logprobs(encoded, tokens.map((t, i) => ({ prompt: i, tokens: t })));
  const nll = new Map<string, number[]>();
  texts.forEach((text, i) => {
    const open = text.indexOf('[', text.indexOf('bbox_2d'));
    const close = text.indexOf(']', open);
    const values = text.slice(open + 1, close).split(',').map((v) => v.trim());
    let pos = 0;
    let coordinate = 0;
    let digit = 0;
    tokens[i]!.forEach((token, j) => {
      const piece = policy.model.tokenizer.decode([token]);
      if (pos > open && pos < close && /^\d+$/.test(piece) && coordinate < 4) {
        const width = values[coordinate]!.length;
        const whole = piece.length === width && digit === 0; // a number-piece tokenizer: the value is one token
        const key = `${NAMES[coordinate]}${whole ? 'N' : width === 1 ? 'S' : digit === 0 ? 'T' : 'U'}`;
        nll.set(key, [...(nll.get(key) ?? []), -lp[i]![j]!]);
        digit += piece.length;
        if (digit >= width) [coordinate, digit] = [coordinate + 1, 0];
      }
      pos += piece.length;
    });
  });
  const cells = [...nll.entries()].sort().map(([k, v]) => `${k} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)}`);
  console.log(`${dir}: ${cells.join('  ')}`);
  await policy.close();
}
