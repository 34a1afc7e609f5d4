/**
 * The Compute Engine bridge: replies, timeout, restart, and the point of it all, that the engine
 * never loads in the main isolate.
 *
 * How "never loads" is checked (in a child process, so this test file's own isolate does not
 * matter): the child imports `createDefaultRegistry()`, scores math answers that need the engine,
 * then asks V8 itself which scripts it has compiled. `Debugger.enable` on an in-process
 * node:inspector session replays one `Debugger.scriptParsed` event per script alive in THIS isolate
 * (ESM modules stay alive for the life of the process, so a module that was ever evaluated is
 * listed), while worker threads are separate isolates with their own inspector targets. No URL may
 * contain `@cortex-js/compute-engine`, and the bundle's global marker
 * (`globalThis[Symbol.for('io.cortexjs.compute-engine')]`, set when it evaluates) must be absent.
 * A positive control then imports the engine in the child and both detectors must flip, so the
 * check cannot pass by being blind. Timing is deliberately not used (bench/verifiers/string-protector.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { callEngine, configureEngineBridge, engineBridgeStats, parseLatexJson, stopEngineWorker } from './bridge.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

after(() => stopEngineWorker());

describe('compute engine bridge', () => {
  it('parses LaTeX to non-canonical MathJSON in the worker', () => {
    assert.deepEqual(parseLatexJson('\\frac{1}{2}'), ['Divide', 1, 2]);
    assert.deepEqual(parseLatexJson('x^2+1'), ['Add', ['Power', 'x', 2], 1]);
    const reply = callEngine({ op: 'numeric', json: ['Add', 1, ['Sqrt', 4]] });
    assert.deepEqual(reply, { ok: true, value: 3 });
    assert.ok(engineBridgeStats().requests >= 3);
  });

  it('turns a request that outlives the timeout into a failure, then restarts the worker', () => {
    const previous = configureEngineBridge({ timeoutMs: 150 });
    try {
      const before = engineBridgeStats();
      const reply = callEngine({ op: 'sleep', ms: 10_000 });
      assert.equal(reply.ok, false);
      assert.match(reply.ok ? '' : reply.error, /did not answer within 150 ms/);
      assert.equal(engineBridgeStats().timeouts, before.timeouts + 1);
      // the fresh worker loads the engine first: give it the normal timeout (150 ms fails on a busy machine)
      configureEngineBridge(previous);
      assert.deepEqual(parseLatexJson('3'), 3);
      assert.equal(engineBridgeStats().starts, before.starts + 1);
    } finally {
      configureEngineBridge(previous);
    }
  });

  it('reports a worker that died as a failure and replaces it on the next call', () => {
    parseLatexJson('1');
    const before = engineBridgeStats();
    const reply = callEngine({ op: 'exit' });
    assert.deepEqual(reply, { ok: false, error: 'compute engine worker exited' });
    assert.deepEqual(parseLatexJson('\\sqrt{2}'), ['Sqrt', 2]);
    assert.equal(engineBridgeStats().starts, before.starts + 1);
  });
});

/** A child process: registry + math scoring, then what V8 compiled in the main isolate. */
const CHILD = `import { Session } from 'node:inspector';
const engineLoaded = () => {
  const session = new Session();
  session.connect();
  const urls = [];
  session.on('Debugger.scriptParsed', (message) => urls.push(message.params.url));
  session.post('Debugger.enable');
  session.post('Debugger.disable');
  session.disconnect();
  return {
    scripts: urls.length,
    engineScripts: urls.filter((url) => url.includes('@cortex-js/compute-engine')),
    marker: globalThis[Symbol.for('io.cortexjs.compute-engine')] !== undefined,
  };
};
const { createDefaultRegistry } = await import(process.env.REGISTRY_URL);
const { engineBridgeStats } = await import(process.env.BRIDGE_URL);
const registry = createDefaultRegistry();
const scores = [
  ['The answer is $\\\\boxed{\\\\frac{1}{2}}$.', '0.5'],
  ['\\\\boxed{x^2 + 2x + 1}', '(x+1)^2'],
  ['\\\\boxed{[0, 1)}', '[0,1)'],
  ['\\\\boxed{\\\\sqrt{3}}', '2'],
].map(([response, answer]) => registry.evaluate({ verifier: 'math', response, answer }).score);
const main = engineLoaded();
await import(process.env.ENGINE_URL);
console.log(JSON.stringify({ scores, requests: engineBridgeStats().requests, main, control: engineLoaded() }));
`;

describe('compute engine isolation', () => {
  it('scoring math through the registry never loads the engine in the main isolate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-isolation-'));
    const script = join(dir, 'child.mjs');
    writeFileSync(script, CHILD);
    // A script file, not `-e`: tsx hangs importing .ts from `--input-type=module -e` code on Node 20.
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        REGISTRY_URL: pathToFileURL(join(root, 'src/verifiers/index.ts')).href,
        BRIDGE_URL: new URL('./bridge.ts', import.meta.url).href,
        ENGINE_URL: import.meta.resolve('@cortex-js/compute-engine'),
      },
    });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(child.status, 0, `child failed (${String(child.signal)}): ${child.stderr}`);
    const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      scores: number[];
      requests: number;
      main: { scripts: number; engineScripts: string[]; marker: boolean };
      control: { engineScripts: string[]; marker: boolean };
    };
    assert.deepEqual(out.scores, [1, 1, 1, 0]);
    assert.ok(out.requests > 0, 'math went through the bridge');
    assert.ok(out.main.scripts > 50, `inspector listed only ${out.main.scripts} scripts`);
    assert.deepEqual(out.main.engineScripts, []);
    assert.equal(out.main.marker, false);
    // Positive control: the same detectors see the engine once it is imported in the main isolate.
    assert.equal(out.control.engineScripts.length, 1);
    assert.equal(out.control.marker, true);
  });

  it('no source file outside engine/worker.ts imports the engine', () => {
    const allowed = join('src', 'verifiers', 'math', 'engine', 'worker.ts');
    const importsEngine = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]@cortex-js\/compute-engine['"]/;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(?:ts|mts|js|mjs)$/.test(name) && importsEngine.test(readFileSync(path, 'utf8'))) offenders.push(relative(root, path));
      }
    };
    walk(join(root, 'src'));
    assert.deepEqual(offenders.filter((file) => file !== allowed), [], `only ${allowed.split(sep).join('/')} may import the engine`);
    assert.ok(offenders.includes(allowed), 'the detector must see the worker');
  });
});
