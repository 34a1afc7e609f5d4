import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRegistry } from '../../../verifiers/index.js';
import { verifierFor } from '../../../sample/tasks.js';
import { generateSample } from '../../registry.js';
import type { Scene } from '../../scene/types.js';

describe('localization family', () => {
  it('one object per scene at every difficulty; the answer is its box and the name never contradicts it', () => {
    const names = new Set<string>();
    for (let index = 0; index < 40; index++) {
      const difficulty = ((index % 5) + 1) as 1 | 2 | 3 | 4 | 5;
      const { sample } = generateSample('localization', 3, index, { size: index % 2 ? 64 : 128, difficulty });
      const scene = sample.meta!.scene as Scene;
      assert.equal(scene.objects.length, 1, sample.id);
      const [object] = scene.objects;
      assert.deepEqual((sample.answer as { box: number[] }).box, object!.box);
      const name = sample.meta!.name as string;
      names.add(name.split(' ').length > 1 ? 'attributes' : name === 'object' ? 'none' : 'one');
      for (const word of name.split(' ')) {
        if (word === 'object' || word === 'shape') continue;
        assert.ok([object!.shape, object!.color, object!.pattern].includes(word as never), `${sample.id}: "${word}" does not describe ${JSON.stringify(object)}`);
      }
      assert.ok(sample.prompt.includes(`the ${name}`));
    }
    assert.deepEqual([...names].sort(), ['attributes', 'none', 'one'], 'names vary from none to several attributes');
  });

  it('its reference response scores 1 with the grounding verifier, a shifted box less', () => {
    const { sample } = generateSample('localization', 4, 0, { size: 64, difficulty: 1 });
    const registry = defaultRegistry();
    const score = (response: string) => registry.evaluate({ verifier: verifierFor(sample).name, response, answer: sample.answer }).score;
    const reference = String(sample.meta!.reference_response);
    assert.equal(verifierFor(sample).name, 'grounding');
    assert.equal(score(reference), 1);
    const box = (sample.answer as { box: number[] }).box;
    const shifted = reference.replace(`[${box.join(', ')}]`, `[${box.map((v) => v + 6).join(', ')}]`);
    assert.ok(score(shifted)! < 1, `shifted box scored ${score(shifted)}`);
  });
});
