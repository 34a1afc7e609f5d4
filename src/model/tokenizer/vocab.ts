/**
 * The default vocabulary's multi-character pieces: the response tags real VLMs use (R1 style
 * `<think>`/`<answer>`, Qwen-style `bbox_2d` JSON, `\boxed{`), the gym's fixed instruction phrases
 * (one token each instead of ~25), and the gym's language (shapes, colours, patterns, spatial
 * words, question words), each word with a leading space and, for shapes and colours (which also
 * start JSON labels), bare.
 * Numbers: every integer from 10 to 128 is one piece (0-9 are byte tokens), so each pixel coordinate
 * of an image up to 128 px, and every count, is exactly one token, as Pix2Seq's and PaliGemma's
 * location tokens are (the text stays plain digits, so the verifiers read it unchanged). With digit
 * tokens a coordinate's first token meant either its tens digit or, below 10, the value itself; the
 * model then learned no positions at all: on one-object gym scenes (bench/probes/README.md) the
 * first coordinate's NLL stayed at the prior for 600 steps with digits and fell from 3.9 to 2.3
 * nats by step 700 with number pieces; with digits it only fell when every x1 was at least 10.
 * Everything else is spelled with byte tokens, so any text round-trips. Changing this list changes
 * token ids: a checkpoint stores its own tokenizer file, so old checkpoints keep working.
 */

export const RESPONSE_PIECES: readonly string[] = [
  '<think>', '</think>', '<answer>', '</answer>', '\\boxed{',
  '[{"bbox_2d": [', '{"bbox_2d": [', '"bbox_2d"', ', "label": "', '"label"', '"}]', '"}, ', '], ', ', ', '\n',
];

/** Fixed sentences of the gym's prompts (src/gym/families/part2-kit.ts R1_INSTRUCTION, src/gym/real). */
export const PHRASES: readonly string[] = [
  'First think step by step inside <think> </think>, then give the final answer inside <answer> </answer>.',
  ' Give boxes as [x1, y1, x2, y2] in pixels of the image, as JSON [{"bbox_2d": [x1, y1, x2, y2], "label": "<digit>"}].',
  ' Answer with a number.',
  ' Answer with the digit.',
  ' Answer with JSON {"rating": <number>, "distortion_class": <noise, compression, blur, darken or null>, "severity": <slight, moderate, obvious, serious, catastrophic or null>}.',
  'Write the route inside <answer> </answer> as one section per line ridden:\nRoute Name: <line>\nDeparture Stop: <station>\nArrival Stop: <station>\nand separate consecutive sections with a line containing --.',
  'The image shows a transit map; the legend names each line by colour.',
  'Here is a subway map with coloured lines; the legend below gives their names.',
  'Use the transit map (each line is named in the legend).',
  ' Choose one of: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot.',
  '<think>\n',
  '\n</think>\n<answer>\n',
  '\n</answer>',
];

/** Words that also appear bare (at the start of a JSON label or a line). */
export const BARE_WORDS: readonly string[] = [
  'circle', 'square', 'triangle', 'rectangle', 'star', 'hexagon', 'pentagon', 'diamond', 'ellipse', 'cross', 'heart',
  'red', 'green', 'blue', 'yellow', 'orange', 'purple', 'pink', 'brown', 'black', 'white', 'gray', 'cyan',
  'yes', 'no', 'How', 'What', 'Which', 'Is', 'Find', 'Detect', 'Count',
];

export const WORDS: readonly string[] = [
  // shapes
  'circle', 'square', 'triangle', 'rectangle', 'star', 'hexagon', 'pentagon', 'diamond', 'ellipse', 'cross',
  'heart', 'shape', 'shapes',
  // colours
  'red', 'green', 'blue', 'yellow', 'orange', 'purple', 'pink', 'brown', 'black', 'white', 'gray', 'cyan', 'color',
  // patterns and sizes
  'solid', 'striped', 'dotted', 'checkered', 'pattern', 'large', 'small', 'big', 'largest', 'smallest', 'size',
  // spatial
  'left', 'right', 'above', 'below', 'top', 'bottom', 'center', 'middle', 'corner', 'upper', 'lower', 'near',
  'inside', 'outside', 'between', 'next', 'to', 'of', 'in', 'on', 'at',
  // questions and instructions
  'how', 'many', 'what', 'which', 'where', 'is', 'are', 'there', 'the', 'a', 'an', 'and', 'or', 'with', 'image',
  'count', 'number', 'object', 'objects', 'answer', 'box', 'boxes', 'find', 'locate', 'text', 'does', 'this',
  'that', 'it', 'for', 'each', 'all', 'give', 'your', 'think', 'output', 'format', 'yes', 'no',
  // task words
  'chart', 'bar', 'value', 'line', 'station', 'route', 'map', 'quality', 'degradation', 'noise', 'blur', 'digit',
  'caption', 'wrong', 'phrase', 'word', 'angle', 'length', 'area', 'label', 'see', 'I',
  // the gym's prompts (src/gym/families)
  'handwritten', 'digits', 'characters', 'image', 'item', 'value', 'months', 'measure', 'degrees', 'rate', 'from',
  'have', 'has', 'than', 'more', 'less', 'bars', 'points', 'total', 'sum', 'difference', 'triangle', 'side', 'point',
  'lines', 'stop', 'transfers', 'route', 'quality', 'score', 'between', 'type', 'its', 'be', 'can', 'by', 'as', 'you',
  'Route Name: ', 'Departure Stop: ', 'Arrival Stop: ', 'Line', 'true', 'false', 'True or false:', 'mos',
];

/** Largest integer that is a single token: the largest pixel coordinate of a 128-px image. */
export const MAX_NUMBER_PIECE = 128;

/** "10" ... "128" (see the module docstring). */
export const NUMBER_PIECES: readonly string[] = Array.from({ length: MAX_NUMBER_PIECE - 9 }, (_, i) => String(i + 10));

/**
 * The default pieces: response tags, phrases, each word with a leading space, bare words, numbers.
 * `numbers: false` leaves the number pieces out: the digit vocabulary of checkpoints made before them
 * (probes and tests that reproduce those measurements).
 */
export function defaultPieces(options: { numbers?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const numbers = options.numbers === false ? [] : NUMBER_PIECES;
  for (const piece of [...RESPONSE_PIECES, ...PHRASES, ...WORDS.map((w) => ` ${w}`), ...BARE_WORDS, ...numbers]) {
    if (piece.length > 1 && !seen.has(piece)) {
      seen.add(piece);
      out.push(piece);
    }
  }
  return out;
}
