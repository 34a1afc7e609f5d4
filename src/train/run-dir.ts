/**
 * The run directory (DESIGN.md section 7) and its crash-safe writes:
 *   recipe.yaml (resolved) + run.json (seed, git sha, start) · metrics.jsonl · samples.jsonl ·
 *   eval-before.json / eval-after.json · checkpoints/step-NNNNNN/ + checkpoints/latest.json ·
 *   summary.json · report.html.
 * JSON files are written to a temporary name and renamed (atomic on one filesystem). A checkpoint
 * folder commits when its config.json lands (src/model/checkpoint), and only then does latest.json
 * point at it, so a kill -9 at any moment leaves either the previous checkpoint or the new one.
 * On resume the JSONL logs are cut back to the checkpoint's step (a partial last line is dropped).
 */
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readFile, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../util/errors.js';

export const FILES = {
  recipe: 'recipe.yaml',
  run: 'run.json',
  metrics: 'metrics.jsonl',
  samples: 'samples.jsonl',
  evalBefore: 'eval-before.json',
  evalAfter: 'eval-after.json',
  heldout: 'heldout.json',
  summary: 'summary.json',
  report: 'report.html',
  checkpoints: 'checkpoints',
  latest: 'checkpoints/latest.json',
} as const;

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function appendJsonl(path: string, records: readonly unknown[]): Promise<void> {
  if (records.length === 0) return Promise.resolve();
  return appendFile(path, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** Keeps the complete lines whose `step` is at most `maxStep` (drops a partial last line). */
export async function truncateJsonl(path: string, maxStep: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const lines = text.split('\n');
  if (!text.endsWith('\n')) lines.pop(); // partial line from a kill mid-write
  const kept = lines.filter((line) => {
    if (!line) return false;
    try {
      const step = (JSON.parse(line) as { step?: unknown }).step;
      return typeof step === 'number' && step <= maxStep;
    } catch {
      return false;
    }
  });
  await writeFileAtomic(path, kept.map((l) => `${l}\n`).join(''));
}

/** The records of a JSONL file ([] when it does not exist); a bad line is a DataError naming `path:line`. */
export async function readJsonl<T>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as T];
    } catch {
      throw new DataError(`${path}:${i + 1}`, 'not a JSON line');
    }
  });
}

export interface LatestCheckpoint {
  step: number;
  dir: string;
}

export function checkpointDir(runDir: string, step: number): string {
  return join(runDir, FILES.checkpoints, `step-${String(step).padStart(6, '0')}`);
}

/** Points latest.json at a finished checkpoint and removes older ones beyond `keep`. */
export async function commitCheckpoint(runDir: string, step: number, keep: number): Promise<void> {
  await writeJsonAtomic(join(runDir, FILES.latest), { step, dir: `step-${String(step).padStart(6, '0')}` });
  const names = (await readdir(join(runDir, FILES.checkpoints))).filter((n) => /^step-\d+$/.test(n)).sort();
  for (const name of names.slice(0, Math.max(0, names.length - keep))) await rm(join(runDir, FILES.checkpoints, name), { recursive: true, force: true });
}

export async function readLatestCheckpoint(runDir: string): Promise<LatestCheckpoint | null> {
  const latest = await readJson<{ step: number; dir: string }>(join(runDir, FILES.latest));
  return latest ? { step: latest.step, dir: join(runDir, FILES.checkpoints, latest.dir) } : null;
}

export async function ensureRunDir(runDir: string): Promise<void> {
  await mkdir(join(runDir, FILES.checkpoints), { recursive: true });
}

/** The default run folder, runs/<name>-<UTC timestamp>. */
export function defaultRunDir(name: string, now = new Date()): string {
  return join('runs', `${name}-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`);
}

/** The git commit of the work tree, or null outside a repository. */
export function gitSha(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
