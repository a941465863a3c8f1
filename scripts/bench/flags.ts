import { color } from '../lib/log.js';

/** Reading a benchmark's flags: a refusal prints the problem and the usage and exits 2. */
export function flagReader(usage: string) {
  const refuse = (message: string): never => {
    console.error(`${color.red(message)}\n${usage}`);
    process.exit(2);
  };
  /** `text` as a whole number within [min, max], or a refusal naming `--name`. */
  const wholeNumber = (name: string, text: string | undefined, min: number, max: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      refuse(`--${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  return { refuse, wholeNumber };
}
