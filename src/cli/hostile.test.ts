/**
 * The hostile-input corpus (fixtures/hostile/, one folder per case, described in its README):
 * each case runs through the `city` command line's own code, and its exit code, the text it
 * must print and the text it must not print are checked. Nothing is written unless the
 * command succeeds.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cityMain } from './city';

interface HostileCase {
  about: string;
  args: string[];
  exit: number;
  output: string[];
  absent?: string[];
  wrote?: boolean;
}

const CORPUS = join(import.meta.dirname, 'fixtures/hostile');
const RIVERTON = join(import.meta.dirname, '../../sample-cities/riverton');
const scratch = mkdtempSync(join(tmpdir(), 'topt-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Runs the command line, returning its exit code and everything it printed. */
async function run(args: string[]): Promise<{ code: number; printed: string }> {
  const lines: string[] = [];
  const keep = (...parts: unknown[]): void => {
    lines.push(
      parts.map((p) => (p instanceof Error ? `${p.message}\n${p.stack ?? ''}` : String(p))).join(' '),
    );
  };
  const spies = [
    vi.spyOn(console, 'log').mockImplementation(keep),
    vi.spyOn(console, 'error').mockImplementation(keep),
    vi.spyOn(console, 'warn').mockImplementation(keep),
  ];
  try {
    const code = await cityMain(args).catch((e: unknown) => {
      keep(e);
      return 1;
    });
    return { code, printed: lines.join('\n') };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

describe('hostile inputs through the city command line', () => {
  it('holds at least one case per folder, each described', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const name of cases) {
      const c = JSON.parse(readFileSync(join(CORPUS, name, 'case.json'), 'utf8')) as HostileCase;
      expect(c.about.length, name).toBeGreaterThan(10);
    }
  });

  it.each(cases)(
    '%s',
    async (name) => {
      const c = JSON.parse(readFileSync(join(CORPUS, name, 'case.json'), 'utf8')) as HostileCase;
      const out = join(scratch, name);
      const args = c.args.map((a) =>
        a
          .replaceAll('{case}', join(CORPUS, name))
          .replaceAll('{riverton}', RIVERTON)
          .replaceAll('{out}', out),
      );
      const { code, printed } = await run(args);
      expect(code, printed).toBe(c.exit);
      for (const text of c.output) expect(printed, `${name}: prints "${text}"`).toContain(text);
      for (const text of c.absent ?? [])
        expect(printed, `${name}: does not print "${text}"`).not.toContain(text);
      const wrote = (() => {
        try {
          return readdirSync(out).length > 0;
        } catch {
          return false;
        }
      })();
      expect(wrote, `${name}: wrote into the output folder`).toBe(c.wrote ?? c.exit === 0);
    },
    60_000,
  );
});
