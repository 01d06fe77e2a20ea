import { utf8Problem } from '../io/utf8';
import type { LoadProblem } from './types';

/** Collects load problems for one file. */
export class ProblemList {
  readonly items: LoadProblem[] = [];
  /** Kept as problems are added: counting them each time made checking a file quadratic. */
  private errors = 0;

  error(file: string, message: string, location?: string, field?: string): void {
    this.add('error', file, message, location, field);
  }

  warn(file: string, message: string, location?: string, field?: string): void {
    this.add('warning', file, message, location, field);
  }

  private add(
    severity: LoadProblem['severity'],
    file: string,
    message: string,
    location?: string,
    field?: string,
  ): void {
    if (severity === 'error') this.errors++;
    this.items.push({
      severity,
      file,
      message,
      ...(location ? { location } : {}),
      ...(field ? { field } : {}),
    });
  }

  get hasErrors(): boolean {
    return this.errors > 0;
  }

  /** Count of errors since a mark, to stop after too many of one kind. */
  errorCount(): number {
    return this.errors;
  }
}

/** One line per problem: "error: regions.geojson, feature 3 (id "A"), field id: duplicate id". */
export function formatProblem(p: LoadProblem): string {
  const where = [p.file, p.location, p.field ? `field "${p.field}"` : undefined].filter(Boolean).join(', ');
  return `${p.severity}: ${where}: ${p.message}`;
}

/**
 * A file's bytes as UTF-8 text, or null with the error reported (the line and byte named) when
 * they are not UTF-8: a Latin-1 file is refused rather than read with "\uFFFD" in its names.
 */
export function decodeText(bytes: Uint8Array, file: string, problems: ProblemList): string | null {
  const problem = utf8Problem(bytes);
  if (problem) {
    problems.error(file, problem);
    return null;
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Parse JSON, reporting the position of a syntax error instead of throwing. */
export function parseJson(text: string | null, file: string, problems: ProblemList): unknown {
  if (text === null) return undefined;
  if (text.trim().length === 0) {
    problems.error(file, 'file is empty');
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    problems.error(file, `invalid JSON: ${msg}`);
    return undefined;
  }
}
