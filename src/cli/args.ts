/**
 * The flags check every CLI runs first (issue 19): `--help` / `-h` prints the usage and exits 0,
 * an unknown flag (or a flag missing its value) prints an error naming it, then the usage, and
 * exits 2, before any work starts. Node's own `util.parseArgs` in strict mode does the checking;
 * each CLI then reads its values as it did before. As the CLIs' own parsers always did, the word
 * after a flag that takes a value is its value even when it starts with a dash (`--bbox
 * -87.9,41.6,-87.5,42.0`), where parseArgs alone would call it ambiguous. Imports nothing heavy, so a CLI that checks
 * its flags before importing TensorFlow.js answers at once.
 */
import { parseArgs } from 'node:util';

/** Flag name without the leading `--` -> whether it takes a value. */
export type FlagKinds = Record<string, 'string' | 'boolean'>;

export type CheckedArgs =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; values: Record<string, string | boolean | undefined>; positionals: string[] };

/** Pure: what the command line asks for, without printing or exiting. */
export function checkArgs(
  argv: string[],
  flags: FlagKinds,
  { positionals = false }: { positionals?: boolean } = {},
): CheckedArgs {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const options = Object.fromEntries(Object.entries(flags).map(([name, type]) => [name, { type }]));
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') && !argv[i].includes('=') ? argv[i].slice(2) : null;
    if (name !== null && flags[name] === 'string' && i + 1 < argv.length) args.push(`--${name}=${argv[++i]}`);
    else args.push(argv[i]);
  }
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals });
    return {
      kind: 'ok',
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
    };
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * `checkArgs`, then: help -> usage on stdout, exit 0; error -> message and usage on stderr,
 * exit 2; otherwise the parsed values.
 */
export function cliArgs(
  argv: string[],
  usage: string,
  flags: FlagKinds,
  opts: { positionals?: boolean } = {},
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const checked = checkArgs(argv, flags, opts);
  if (checked.kind === 'help') {
    console.log(usage);
    process.exit(0);
  }
  if (checked.kind === 'error') {
    console.error(`error: ${checked.message}\n\n${usage}`);
    process.exit(2);
  }
  return checked;
}
