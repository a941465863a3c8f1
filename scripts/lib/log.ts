import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;

const ansi = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

export const color = {
  red: ansi(31),
  green: ansi(32),
  yellow: ansi(33),
  blue: ansi(34),
  magenta: ansi(35),
  cyan: ansi(36),
  dim: ansi(2),
  bold: ansi(1),
};

/** Colors for prefixing child-process output, one per process in turn. */
export const palette = [color.cyan, color.magenta, color.yellow, color.blue, color.green];

/** Hides the password of a URL before it is printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** A message for an unknown thrown value, one line. */
export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(errorMessage).join('; ');
  const message = error instanceof Error ? error.message || (error as NodeJS.ErrnoException).code : String(error);
  return stripVTControlCharacters(message ?? 'unknown error').trim();
}

/** Prints the message in red and exits with status 1. */
export function fail(message: string): never {
  console.error(color.red(message));
  process.exit(1);
}

/** A path as shown to the user: relative to the working directory when inside it. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
