/**
 * Progress of long commands (`train`, `start`, `compare`, `pretrain`) on stderr: a cli-progress bar on
 * a terminal, a line per tenth of each phase in a log (CI, a redirected run), or nothing. One place, so
 * every command's log reads the same: `<phase> <done>/<total> (<percent> %, <seconds> s) <key value>...`.
 */
import cliProgress from 'cli-progress';

/** How a command shows progress on stderr: a bar (a terminal), a line per tenth of each phase (a log), or nothing. */
export type ProgressMode = 'bar' | 'lines' | 'off';

/** `off` when --no-progress, a bar on a terminal, lines otherwise (CI logs and redirected runs). */
export const progressMode = (flag: boolean | undefined, isTTY = process.stderr.isTTY === true): ProgressMode =>
  flag === false ? 'off' : isTTY ? 'bar' : 'lines';

/** Named values shown beside the count, in insertion order: `{reward: '0.214', acc: '0.21'}` → `reward 0.214 acc 0.21`. */
export type ProgressInfo = Record<string, number | string>;

/** `reward 0.214 acc 0.21`: each entry as `key value`, '' when there is none. */
export const formatInfo = (info: ProgressInfo): string =>
  Object.entries(info).map(([key, value]) => `${key} ${value}`).join(' ');

export interface ProgressHooks {
  /** Starts a phase of `total` units (steps, items); a bar restarts, lines count tenths afresh. */
  phase?(name: string, total: number): void;
  progress?(done: number, info: ProgressInfo): void;
  /** A whole line (an evaluation, a warning), kept apart from the bar. */
  log(line: string): void;
  stop(): void;
}

/** Progress per phase on stderr, as a cli-progress bar or as plain lines (`write` is for tests). */
export function progressHooks(mode: ProgressMode, write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): ProgressHooks {
  let bar: cliProgress.SingleBar | null = null;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  if (mode === 'off') return { stop, log: write };
  if (mode === 'lines') {
    let phase = { name: '', total: 0, tenth: 0, t0: 0 };
    return {
      stop,
      log: write,
      phase(name, total) {
        phase = { name, total, tenth: 0, t0: Date.now() };
      },
      progress(done, info) {
        const tenth = phase.total > 0 ? Math.floor((10 * done) / phase.total) : 0;
        if (tenth <= phase.tenth) return;
        phase.tenth = tenth;
        const seconds = ((Date.now() - phase.t0) / 1000).toFixed(0);
        write(`${phase.name} ${done}/${phase.total} (${Math.round((100 * done) / phase.total)} %, ${seconds} s) ${formatInfo(info)}`.trimEnd());
      },
    };
  }
  return {
    stop,
    // A line written while the bar is drawn would be overdrawn: start it on a fresh line.
    log: (line) => write(bar ? `\n${line}` : line),
    phase(name, total) {
      stop();
      bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${name.padEnd(11)} [{bar}] {value}/{total} {eta_formatted} {info}`, hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(total, 0, { info: '' });
    },
    progress(done, info) {
      bar?.update(done, { info: formatInfo(info) });
    },
  };
}
