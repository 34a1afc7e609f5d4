/**
 * `localization`: the box of the only object in the image (single-object localisation, the classic
 * step before referring expressions; Pix2Seq pre-trains box outputs on it). Answer
 * `{box, space: 'pixel', image}` for the `grounding` verifier, in the same response format.
 *
 * Why it exists: a model that has never tied image positions to box coordinates cannot learn to
 * pick one of several objects either (bench/probes/README.md: the embedded model learned positions
 * on one-object scenes and not on the grounding family's two or more). So it is a pre-training
 * curriculum source, not an RL task with a claim of its own.
 *
 * The object is named with a random share of its attributes ("the striped red circle", "the red
 * shape", "the circle", "the object"): names co-occur with what is drawn (useful later for grounding),
 * yet the answer never depends on reading them. Difficulty follows the scene profile: smaller objects
 * and more pixel noise at higher levels, always one object.
 */
import type { Rng } from '../../../util/rng.js';
import { generateScene } from '../../scene/generate.js';
import { queryNoun, type AttributeQuery } from '../../scene/refer.js';
import type { SceneObject } from '../../scene/types.js';
import type { GeneratedSample, GenerateOptions, TaskFamily } from '../../types.js';
import { boxesJson, boxInstruction, groundingAnswer, patternsLegible, randomRequest, sceneSample } from './common.js';

const TEMPLATES: readonly ((expr: string) => string)[] = [
  (expr) => `Locate ${expr}.`,
  (expr) => `Find ${expr} in the image.`,
  (expr) => `Where is ${expr}?`,
  (expr) => `Give the bounding box of ${expr}.`,
];

/** The attributes a name keeps: all, colour + shape, colour only, shape only, or none. */
function nameQuery(rng: Rng, object: SceneObject, usePattern: boolean): AttributeQuery | null {
  const full: AttributeQuery = { shape: object.shape, color: object.color, ...(usePattern && object.pattern !== 'solid' ? { pattern: object.pattern } : {}) };
  return rng.pick([full, { shape: object.shape, color: object.color }, { color: object.color }, { shape: object.shape }, null]);
}

function generate(rng: Rng, options: GenerateOptions): GeneratedSample {
  const { size, difficulty } = options;
  const usePattern = patternsLegible(size, difficulty);
  for (let attempt = 0; attempt < 50; attempt++) {
    const scene = generateScene(rng, { size, difficulty, objects: [randomRequest(rng, usePattern)] });
    const target = scene.objects[0];
    if (!target) continue; // not placed: re-draw from the same stream
    const query = nameQuery(rng, target, usePattern);
    const name = query ? queryNoun(query) : 'object';
    return sceneSample({
      task: 'localization',
      options,
      scene,
      question: rng.pick(TEMPLATES)(`the ${name}`),
      instruction: boxInstruction('name'),
      answer: groundingAnswer(target.box, size),
      think: `the ${name}`,
      written: boxesJson([{ bbox: target.box, label: name }]),
      extra: { target: target.id, name },
    });
  }
  throw new Error('localization: the object could not be placed (family bug)');
}

export const localizationFamily: TaskFamily = {
  name: 'localization',
  description: 'The box of the only object in the image, named by some of its attributes; answer {box, space, image} (a pre-training curriculum step before grounding).',
  after: ['Pix2Seq', 'Visual-RFT'],
  generate,
};
