/**
 * Checkpoints (DESIGN.md section 4): a folder with
 * - `model.safetensors`: the weights by parameter name (F32, or F16 to halve the size),
 * - `tokenizer.json`: the tokenizer file (../tokenizer),
 * - `optimizer.safetensors` (optional, F32): AdamW moments as `m.<name>` / `v.<name>`,
 * - `config.json`: format/version, the model config, dtype, optimizer step, free `meta`, and the
 *   byte size and sha256 of every other file. Written last, so it commits the checkpoint.
 * Every file is written to a temporary name and renamed into place (atomic on one filesystem).
 * Loading verifies sizes and hashes (a flipped byte in the data is caught, not only a broken
 * header), the safetensors structure, and that every tensor matches the config's layout; each
 * failure is a DataError naming the file and what is wrong.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../../util/errors.js';
import type { ModelConfig } from '../config.js';
import { parseModelConfig } from '../config.js';
import type { ModelParams } from '../params.js';
import { paramSpecs } from '../params.js';
import { Tokenizer } from '../tokenizer/index.js';
import { decodeSafetensors, encodeSafetensors, type SafeDtype } from './safetensors.js';

export const CHECKPOINT_FORMAT = 'perceptrl-checkpoint';

export interface OptimizerState {
  step: number;
  m: ModelParams;
  v: ModelParams;
}

export interface Checkpoint {
  config: ModelConfig;
  params: ModelParams;
  tokenizer: Tokenizer;
  optimizer?: OptimizerState | undefined;
  /** Free-form JSON (training step, data seed, metrics...). */
  meta?: Record<string, unknown> | undefined;
}

export interface SaveOptions {
  /** Weight precision on disk (default F32); the optimizer state is always F32. */
  dtype?: SafeDtype;
}

interface FileEntry {
  bytes: number;
  sha256: string;
}

interface ConfigFile {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  model: ModelConfig;
  dtype: SafeDtype;
  optimizerStep: number | null;
  files: Record<string, FileEntry>;
  meta: Record<string, unknown>;
}

async function writeAtomic(path: string, data: Buffer | string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(temp, data);
  await rename(temp, path);
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export async function saveCheckpoint(dir: string, checkpoint: Checkpoint, options: SaveOptions = {}): Promise<void> {
  const dtype = options.dtype ?? 'F32';
  await mkdir(dir, { recursive: true });
  const specs = paramSpecs(checkpoint.config);
  const files: Record<string, Buffer> = {
    'model.safetensors': encodeSafetensors(specs.map((s) => ({ name: s.name, shape: s.shape, data: need(checkpoint.params, s.name) })), dtype, { format: 'pt' }),
    'tokenizer.json': Buffer.from(JSON.stringify(checkpoint.tokenizer.toJSON())),
  };
  if (checkpoint.optimizer) {
    const o = checkpoint.optimizer;
    const tensors = specs.filter((s) => o.m.has(s.name)).flatMap((s) => [
      { name: `m.${s.name}`, shape: s.shape, data: need(o.m, s.name) },
      { name: `v.${s.name}`, shape: s.shape, data: need(o.v, s.name) },
    ]);
    files['optimizer.safetensors'] = encodeSafetensors(tensors, 'F32');
  }
  for (const [name, data] of Object.entries(files)) await writeAtomic(join(dir, name), data);
  const config: ConfigFile = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    model: checkpoint.config,
    dtype,
    optimizerStep: checkpoint.optimizer?.step ?? null,
    files: Object.fromEntries(Object.entries(files).map(([name, data]) => [name, { bytes: data.length, sha256: sha256(data) }])),
    meta: checkpoint.meta ?? {},
  };
  await writeAtomic(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

function need(map: ModelParams, name: string): Float32Array {
  const data = map.get(name);
  if (!data) throw new DataError(name, 'missing tensor');
  return data;
}

async function readChecked(dir: string, name: string, entry: FileEntry | undefined): Promise<Buffer> {
  const path = join(dir, name);
  if (!entry) throw new DataError('config.json', `lists no entry for ${name}`, join(dir, 'config.json'));
  const data = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new DataError(name, `cannot read (${error.code ?? error.message})`, path);
  });
  if (data.length !== entry.bytes) throw new DataError(name, `is ${data.length} bytes, config.json says ${entry.bytes} (truncated or replaced)`, path);
  if (sha256(data) !== entry.sha256) throw new DataError(name, 'sha256 does not match config.json (corrupt file)', path);
  return data;
}

/** A checkpoint folder's config.json, checked for format and version. */
async function readConfigFile(dir: string): Promise<ConfigFile> {
  const configPath = join(dir, 'config.json');
  const raw = await readFile(configPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new DataError('config.json', `cannot read (${error.code ?? error.message}); not a checkpoint folder?`, configPath);
  });
  let file: ConfigFile;
  try {
    file = JSON.parse(raw) as ConfigFile;
  } catch (error) {
    throw new DataError('config.json', `not valid JSON (${(error as Error).message})`, configPath);
  }
  if (file.format !== CHECKPOINT_FORMAT || file.version !== 1) {
    throw new DataError('config.json', `format ${JSON.stringify(file.format)} v${file.version}, expected ${CHECKPOINT_FORMAT} v1`, configPath);
  }
  return file;
}

/** What a checkpoint's config.json records about its weights file, without reading the weights. */
export async function checkpointWeights(dir: string): Promise<{ dtype: SafeDtype; bytes: number | null }> {
  const file = await readConfigFile(dir);
  return { dtype: file.dtype, bytes: file.files?.['model.safetensors']?.bytes ?? null };
}

export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const file = await readConfigFile(dir);
  const config = parseModelConfig(file.model, 'config.json:model');
  const files = file.files ?? {};
  const tokenizer = Tokenizer.fromJSON(JSON.parse((await readChecked(dir, 'tokenizer.json', files['tokenizer.json'])).toString('utf8')));
  if (tokenizer.size > config.vocabSize) throw new DataError('tokenizer.json', `has ${tokenizer.size} tokens, more than the model's vocabSize ${config.vocabSize}`, join(dir, 'tokenizer.json'));
  const params = readLayout(config, await readChecked(dir, 'model.safetensors', files['model.safetensors']), join(dir, 'model.safetensors'), '');
  let optimizer: OptimizerState | undefined;
  if (file.optimizerStep !== null && file.optimizerStep !== undefined) {
    const path = join(dir, 'optimizer.safetensors');
    const decoded = decodeSafetensors(await readChecked(dir, 'optimizer.safetensors', files['optimizer.safetensors']), path);
    const pick = (prefix: string) => new Map([...decoded.tensors].filter(([n]) => n.startsWith(prefix)).map(([n, t]) => [n.slice(prefix.length), t.data]));
    optimizer = { step: file.optimizerStep, m: pick('m.'), v: pick('v.') };
  }
  return { config, params, tokenizer, optimizer, meta: file.meta ?? {} };
}

/** Tensors of `buf` checked against the config's layout: same names, same shapes, finite values. */
function readLayout(config: ModelConfig, buf: Buffer, path: string, prefix: string): ModelParams {
  const decoded = decodeSafetensors(buf, path);
  const params: ModelParams = new Map();
  const specs = paramSpecs(config);
  for (const spec of specs) {
    const t = decoded.tensors.get(prefix + spec.name);
    if (!t) throw new DataError(spec.name, 'missing from the weights (checkpoint does not match its config)', path);
    if (t.shape.join(',') !== spec.shape.join(',')) throw new DataError(spec.name, `shape [${t.shape}] but the config needs [${spec.shape}]`, path);
    if (!t.data.every(Number.isFinite)) throw new DataError(spec.name, 'contains NaN or infinite values', path);
    params.set(spec.name, t.data);
  }
  const extra = [...decoded.tensors.keys()].filter((n) => !params.has(n.slice(prefix.length)));
  if (extra.length > 0) throw new DataError(extra[0]!, `unexpected tensor (${extra.length} not in the config's layout)`, path);
  return params;
}
