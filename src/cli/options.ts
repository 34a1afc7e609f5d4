/**
 * Shared parsers for command-line option values. They throw commander's InvalidArgumentError, which
 * commander reports as "error: option '--n <n>' argument 'x' is invalid. ..." with exit code 1,
 * instead of a stack trace.
 */
import { InvalidArgumentError } from 'commander';
import { InputError } from '../util/errors.js';

/** A commander argument parser accepting integers in [low, high]. */
export function integerOption(name: string, low: number, high: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < low || n > high) throw new InvalidArgumentError(`${name}: expected an integer in [${low}, ${high}], got "${value}"`);
    return n;
  };
}

/** `value` when it is one of `allowed`, else an InputError naming `field`: `expected one of a, b, got "x"`. */
export function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(field, `expected one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/**
 * Report a failed command on stderr as `perceptrl <command>: <message>` and set the exit code:
 * 2 for bad input (InputError names the field), 1 for anything else.
 */
export function reportCommandError(command: string, error: unknown): void {
  process.stderr.write(`perceptrl ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof InputError ? 2 : 1;
}
