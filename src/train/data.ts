/**
 * Data sources of a run and the weighted mix (DESIGN.md section 1, "task source -> Sample"). A source
 * hands out item `index` of its stream; the mix draws each batch slot's source by weight from a
 * stream keyed by (seed, step, round), and each source keeps its own cursor (next index), so the
 * state to checkpoint is just the cursors (src/train/state.ts) and a resumed run draws the same items.
 */
import { generateSample, type Difficulty } from '../gym/registry.js';
import type { PolicyPrompt } from '../policy/index.js';
import { verifierFor } from '../sample/tasks.js';
import { Rng } from '../util/rng.js';
import type { DataSourceConfig } from './config.js';

/** One training or evaluation item: what the policy reads and what the verifier checks. */
export interface TrainItem {
  id: string;
  /** Data-source name for metrics (`gym/<task>`). */
  source: string;
  task: string;
  prompt: PolicyPrompt;
  answer: unknown;
  verifier: { name: string; params: Record<string, unknown> };
  meta: Record<string, unknown>;
}

export interface DataSource {
  readonly name: string;
  readonly task: string;
  readonly weight: number;
  item(index: number): TrainItem;
}

/** A gym task as a data source over gym seed `gymSeed`. */
export function gymSource(config: DataSourceConfig, gymSeed: number, defaultImageSize: number, name = `gym/${config.task}`): DataSource {
  const size = config.image_size ?? defaultImageSize;
  return {
    name,
    task: config.task,
    weight: config.weight,
    item(index) {
      const generated = generateSample(config.task, gymSeed, index, { size, difficulty: (config.difficulty ?? undefined) as Difficulty | undefined });
      const sample = generated.sample;
      return {
        id: sample.id,
        source: name,
        task: sample.task,
        prompt: { text: sample.prompt, images: generated.images },
        answer: sample.answer,
        verifier: config.verifier ?? verifierFor(sample),
        meta: sample.meta ?? {},
      };
    },
  };
}

/** Sources of a recipe; a task listed again gets a `gym/<task>/<i>` name so metrics and cursors stay apart. */
export function gymSources(configs: readonly DataSourceConfig[], gymSeed: number, imageSize: number): DataSource[] {
  // The first source of a task is `gym/<task>`, a later one `gym/<task>/<i>`: adding a source to a
  // recipe never renames the cursors of the sources before it, so a run resumes with a longer curriculum.
  const seen = new Set<string>();
  return configs.map((c, i) => {
    const name = seen.has(c.task) ? `gym/${c.task}/${i}` : `gym/${c.task}`;
    seen.add(c.task);
    return gymSource(c, gymSeed, imageSize, name);
  });
}

/** Next index of each source (by name). */
export type DataCursor = Record<string, number>;

/** Draws `n` items from the weighted mix, advancing the cursor (returned as a new object). */
export function drawBatch(sources: readonly DataSource[], cursor: DataCursor, n: number, key: string): { items: TrainItem[]; cursor: DataCursor } {
  const rng = new Rng(key);
  const total = sources.reduce((sum, s) => sum + s.weight, 0);
  const next: DataCursor = { ...cursor };
  const items: TrainItem[] = [];
  for (let i = 0; i < n; i++) {
    let u = rng.next() * total;
    let source = sources[sources.length - 1]!;
    for (const s of sources) {
      if (u < s.weight) {
        source = s;
        break;
      }
      u -= s.weight;
    }
    const index = next[source.name] ?? 0;
    next[source.name] = index + 1;
    items.push(source.item(index));
  }
  return { items, cursor: next };
}
