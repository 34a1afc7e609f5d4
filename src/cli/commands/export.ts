/**
 * `perceptrl export`: any Sample source (JSONL, COCO, RefCOCO, or gym-generated) into verl parquet,
 * EasyR1 JSONL, OpenRLHF JSONL or our JSONL, through the one exporter (src/sample/export) - this file
 * only loads, adapts labels and reports progress.
 *
 * Labels (DESIGN.md section 10): `{"verifier", "answer", "params"?, "context"?}`. `--pred-space` sets
 * `params.pred_space` on the box verifiers (grounding, detection, and such terms of `weighted`), the
 * coordinate space of the model family that will be trained (ENGINES.md section 2.6: Qwen2-VL and
 * Qwen3-VL `norm1000`, Qwen2.5-VL `resized-pixel`). Other verifiers have no such param (their zod
 * schemas are strict), so they are left alone. `resized-pixel` also needs `context.model_image`, the
 * size the processor resized the image to: `--model-image WxH` fixes it, otherwise it is Qwen's
 * smart_resize of the image size (src/remote/geometry.ts). The exporter takes one `context` for all
 * rows, so images of different sizes need one fixed `--model-image` (a per-row context is requested
 * from the exporter's owner; see docs/scale-out.md).
 *
 * Every label is checked against the verifier registry before it is written, so an exported file
 * never carries a label the reward service would reject.
 */
import { dirname } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { gymFamily } from '../../gym/registry.js';
import { smartResize, type SmartResizeOptions } from '../../remote/geometry.js';
import { withPredSpace } from '../../remote/spaces.js';
import { loadCocoSamples } from '../../sample/coco.js';
import { EXPORT_FORMATS, exportSamples, type ExportFormat, type ExportItem, type ExportResult } from '../../sample/export/index.js';
import { loadSamplesJsonl } from '../../sample/jsonl.js';
import { loadRefcoco } from '../../sample/refcoco.js';
import { InputError } from '../../util/errors.js';
import type { BoxSpace } from '../../verifiers/boxes/types.js';
import { defaultRegistry } from '../../verifiers/index.js';
import { gymSamples } from './gym-export.js';
import { oneOf, reportCommandError } from '../options.js';

export const EXPORT_SOURCES = ['jsonl', 'coco', 'refcoco', 'gym'] as const;
export type ExportSource = (typeof EXPORT_SOURCES)[number];
export const PRED_SPACES = ['pixel', 'resized-pixel', 'norm1000', 'norm1'] as const;

export interface ExportCommandOptions {
  from: ExportSource;
  /** Input file (jsonl, coco, refcoco); unused for gym. */
  input?: string | undefined;
  /** gym: tasks, samples per task, seed, image side. */
  tasks?: string[] | undefined;
  n?: number | undefined;
  seed?: number | undefined;
  size?: number | undefined;
  /** coco/refcoco: folder of the image files. */
  imageDir?: string | undefined;
  format: ExportFormat;
  out: string;
  split?: string | undefined;
  predSpace?: BoxSpace | undefined;
  /** Size the model sees, for resized-pixel (else Qwen smart_resize of the image). */
  modelImage?: { width: number; height: number } | undefined;
  resize?: SmartResizeOptions | undefined;
  onProgress?: (written: number, total: number) => void;
}

interface Source {
  items: Iterable<ExportItem>;
  total: number;
  baseDir: string;
}

async function loadSource(options: ExportCommandOptions): Promise<Source> {
  const registry = defaultRegistry();
  if (options.from === 'gym') {
    const tasks = options.tasks ?? [];
    if (tasks.length === 0) throw new InputError('tasks', 'give at least one gym task (--tasks a,b)');
    for (const task of tasks) gymFamily(task);
    const n = options.n ?? 100;
    const items = gymSamples({ tasks, n, seed: options.seed ?? 0, size: options.size ?? 64 });
    return { items, total: n * tasks.length, baseDir: process.cwd() };
  }
  const input = options.input;
  if (!input) throw new InputError('input', `--input is required with --from ${options.from}`);
  const imageDir = options.imageDir;
  const samples =
    options.from === 'jsonl'
      ? await loadSamplesJsonl(input, registry)
      : options.from === 'coco'
        ? await loadCocoSamples(input, imageDir ? { imageDir } : {})
        : await loadRefcoco(input, imageDir ? { imageRoot: imageDir } : {});
  // JSONL image paths are relative to the file; the COCO/RefCOCO loaders already joined --image-dir.
  return { items: samples, total: samples.length, baseDir: options.from === 'jsonl' ? dirname(input) : process.cwd() };
}

export { withPredSpace };

function firstImageSize(item: ExportItem): { width: number; height: number } | undefined {
  const image = item.images[0];
  return image ? { width: image.width, height: image.height } : undefined;
}

function* mapItems<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

function adapt(item: ExportItem, predSpace: BoxSpace): ExportItem {
  return 'sample' in item ? { ...item, sample: withPredSpace(item.sample, predSpace) } : withPredSpace(item, predSpace);
}

/** The label context for resized-pixel: one model image size for every row. */
function modelImageContext(imageSizes: Iterable<{ width: number; height: number } | undefined>, options: ExportCommandOptions): Record<string, unknown> {
  if (options.modelImage) return { model_image: options.modelImage };
  const sizes = new Map<string, { width: number; height: number }>();
  for (const size of imageSizes) {
    if (!size) continue;
    const model = smartResize(size.width, size.height, options.resize);
    sizes.set(`${model.width}x${model.height}`, model);
  }
  const [first, ...rest] = [...sizes.values()];
  if (!first) return {};
  if (rest.length > 0) {
    throw new InputError('model-image', `pred-space resized-pixel: images resize to ${sizes.size} different model sizes (${[...sizes.keys()].slice(0, 4).join(', ')}...); fix the processor size and pass --model-image WxH`);
  }
  return { model_image: first };
}

/** Load, adapt labels and export; the library entry of the command. */
export async function runExport(options: ExportCommandOptions): Promise<ExportResult> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new InputError('format', `unknown format "${options.format}"; known: ${EXPORT_FORMATS.join(', ')}`);
  }
  if (!(EXPORT_SOURCES as readonly string[]).includes(options.from)) {
    throw new InputError('from', `unknown source "${options.from}"; known: ${EXPORT_SOURCES.join(', ')}`);
  }
  const source = await loadSource(options);
  const predSpace = options.predSpace;
  let items: Iterable<ExportItem> = source.items;
  let context: Record<string, unknown> | undefined;
  if (predSpace !== undefined) {
    items = mapItems(source.items, (item) => adapt(item, predSpace));
    if (predSpace === 'resized-pixel') {
      // Gym images are all --size square; loaded samples are arrays we can scan before exporting.
      const sized = options.from === 'gym' ? [{ width: options.size ?? 64, height: options.size ?? 64 }] : [...source.items].map(firstImageSize);
      context = modelImageContext(sized, options);
    }
  }
  return exportSamples(items, {
    format: options.format,
    out: options.out,
    baseDir: source.baseDir,
    registry: defaultRegistry(),
    ...(options.split ? { split: options.split } : {}),
    ...(context ? { context } : {}),
    onProgress: (written) => options.onProgress?.(written, source.total),
  });
}

function integer(name: string, low: number, high: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < low || n > high) throw new InputError(name, `expected an integer in [${low}, ${high}], got "${value}"`);
    return n;
  };
}

/** `WxH` -> size. */
export function parseSize(value: string, field = 'model-image'): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/.exec(value.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new InputError(field, `expected WIDTHxHEIGHT, e.g. 644x476, got "${value}"`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

interface Flags {
  from: string;
  input?: string;
  tasks?: string;
  n: number;
  seed: number;
  size: number;
  imageDir?: string;
  format: string;
  out: string;
  split: string;
  predSpace?: string;
  modelImage?: string;
  minPixels?: number;
  maxPixels?: number;
  json?: boolean;
}

/** Flags to library options (exported for tests). */
export function flagsToExportOptions(flags: Flags): ExportCommandOptions {
  const resize: SmartResizeOptions = {};
  if (flags.minPixels !== undefined) resize.minPixels = flags.minPixels;
  if (flags.maxPixels !== undefined) resize.maxPixels = flags.maxPixels;
  return {
    from: oneOf('from', flags.from, EXPORT_SOURCES),
    input: flags.input,
    tasks: flags.tasks?.split(',').map((t) => t.trim()).filter(Boolean),
    n: flags.n,
    seed: flags.seed,
    size: flags.size,
    imageDir: flags.imageDir,
    format: oneOf('format', flags.format, EXPORT_FORMATS),
    out: flags.out,
    split: flags.split,
    predSpace: flags.predSpace === undefined ? undefined : oneOf('pred-space', flags.predSpace, PRED_SPACES),
    modelImage: flags.modelImage === undefined ? undefined : parseSize(flags.modelImage),
    resize,
  };
}

export function register(program: Command): void {
  program
    .command('export')
    .description('Export Samples (JSONL, COCO, RefCOCO or gym) as verl parquet, EasyR1 JSONL, OpenRLHF JSONL or Sample JSONL')
    .requiredOption('--from <source>', `sample source: ${EXPORT_SOURCES.join(', ')}`)
    .option('--input <file>', 'input file (jsonl: Samples; coco: instances JSON; refcoco: JSON or JSONL)')
    .option('--image-dir <dir>', 'coco/refcoco: folder the image file names are relative to')
    .option('--tasks <list>', 'gym: comma-separated tasks')
    .option('--n <count>', 'gym: samples per task', integer('n', 0, 10_000_000), 100)
    .option('--seed <seed>', 'gym: seed of the sample streams', integer('seed', 0, 2 ** 31 - 1), 0)
    .option('--size <px>', 'gym: image side in pixels', integer('size', 16, 8192), 64)
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`)
    .requiredOption('--out <dir>', 'output directory')
    .option('--split <name>', 'split name (file name of verl/easyr1/openrlhf outputs)', 'train')
    .option('--pred-space <space>', `box verifiers: coordinate space of the trained model's boxes (${PRED_SPACES.join(', ')}); Qwen2-VL/Qwen3-VL norm1000, Qwen2.5-VL resized-pixel`)
    .option('--model-image <WxH>', 'resized-pixel: the size the model sees (default: Qwen smart_resize of each image)')
    .option('--min-pixels <n>', 'resized-pixel: processor min_pixels (default 3136)', integer('min-pixels', 1, 2 ** 31))
    .option('--max-pixels <n>', 'resized-pixel: processor max_pixels (default 12845056)', integer('max-pixels', 1, 2 ** 31))
    .option('--json', 'print the result as JSON')
    .action(async (flags: Flags) => {
      const bar = new SingleBar({ format: 'export [{bar}] {value}/{total} samples | {eta}s left', stream: process.stderr, hideCursor: true });
      let started = false;
      try {
        const options = flagsToExportOptions(flags);
        options.onProgress = (written, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(written);
        };
        const result = await runExport(options);
        bar.stop();
        if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else process.stdout.write(`wrote ${result.samples} samples (${result.images} images) to ${result.out}: ${result.files.join(', ')}\n`);
      } catch (error) {
        bar.stop();
        reportCommandError('export', error);
      }
    });
}
