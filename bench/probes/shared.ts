/**
 * What the box probes share: a fresh default policy with either tokenizer, and the NLL of the first
 * coordinate's first token of box answers (the token right after `"bbox_2d": [`).
 */
import { Tokenizer, type ModelConfigInput } from '../../src/model/index.js';
import { defaultPieces } from '../../src/model/tokenizer/vocab.js';
import { EmbeddedPolicy } from '../../src/policy/embedded.js';
import type { EncodedPrompts } from '../../src/policy/types.js';

export interface BoxItem {
  png: Buffer;
  prompt: string;
  text: string;
  /** The same response with a distractor's box in place of the target's (two-object scenes). */
  distractorText?: string;
}

/**
 * A fresh default model (ONNX executor, compact prompts). `digits`: the tokenizer without number
 * pieces and vocab 512, as every model had before src/model/tokenizer/vocab.ts made numbers one token.
 */
export async function probePolicy(seed: number, threads: number, digits: boolean, config: ModelConfigInput = {}): Promise<EmbeddedPolicy> {
  const tokenizer = digits ? new Tokenizer(defaultPieces({ numbers: false })) : new Tokenizer();
  return EmbeddedPolicy.create({ ...config, ...(digits ? { vocabSize: 512 } : {}) }, seed, { promptStyle: 'compact', executor: 'onnx', threads, tokenizer });
}

/** The text of each token. */
export function tokenPieces(policy: EmbeddedPolicy, tokens: readonly number[]): string[] {
  return tokens.map((t) => policy.model.tokenizer.decode([t]));
}

export function encodeItems(policy: EmbeddedPolicy, items: readonly BoxItem[]): Promise<EncodedPrompts> {
  return policy.encode(items.map((it) => ({ text: it.prompt, images: [{ png: it.png, width: 64, height: 64 }] })));
}

/** Index of the token that starts right after `"bbox_2d": [` in `text` (-1 if none starts there). */
export function firstCoordinateIndex(policy: EmbeddedPolicy, text: string, tokens: readonly number[]): number {
  const at = text.indexOf('[', text.indexOf('bbox_2d')) + 1;
  let offset = 0;
  return tokenPieces(policy, tokens).findIndex((piece) => {
    const here = offset === at;
    offset += piece.length;
    return here;
  });
}

/** Mean NLL (nats) of the token right after `"bbox_2d": [` in each item's target text. */
export async function firstCoordinateNll(policy: EmbeddedPolicy, items: readonly BoxItem[], encoded: EncodedPrompts): Promise<number> {
  const tokens = items.map((it) => policy.tokenize(it.text));
  const lp = await policy.logprobs(encoded, tokens.map((t, i) => ({ prompt: i, tokens: t })));
  let sum = 0;
  items.forEach((it, i) => {
    const j = firstCoordinateIndex(policy, it.text, tokens[i]!);
    if (j >= 0) sum -= lp[i]![j]!;
  });
  return sum / items.length;
}
