import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Each command reads its options through `optionValues(args, specs)` (and `optGiven(args, specs,
 * name)`), whose names the compiler checks against the command's specs, and which fill in the
 * specs' defaults — so a command cannot read an option outside its spec, nor state a default of
 * its own. What this test refuses is the untyped way around: an option named by a string literal
 * through `optString` / `optNumber` / `optFlag` or `args.options`. Reads by a computed name remain
 * for the options made from a registry (a loss's parameters), whose names are not known statically.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src', 'cli');

const UNTYPED_READS: readonly RegExp[] = [/\bopt(?:String|Number|Flag)\(\s*\w+\s*,\s*['"`]/, /\.options\[\s*['"`]/, /\bargs\.options\.[A-Za-z_$]/];

/** The lines of `source` that read an option named by a literal without its spec, as `line: text`. */
function untypedOptionReads(source: string): string[] {
  return source
    .split('\n')
    .map((text, i) => ({ text: text.trim(), line: i + 1 }))
    .filter(({ text }) => !text.startsWith('//') && !text.startsWith('*') && UNTYPED_READS.some((pattern) => pattern.test(text)))
    .map(({ text, line }) => `${line}: ${text}`);
}

function cliSources(): string[] {
  const files = readdirSync(CLI, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && f !== 'args.ts')
    .map((f) => join(CLI, f));
  return files.sort();
}

describe('the commands read their options through their specs', () => {
  it('no command names an option outside optionValues / optGiven', () => {
    const found = cliSources().flatMap((file) => untypedOptionReads(readFileSync(file, 'utf8')).map((hit) => `${relative(ROOT, file)}:${hit}`));
    expect(found).toEqual([]);
  });

  it('the check finds each untyped way of reading an option (so the test above can fail)', () => {
    expect(untypedOptionReads("const seed = optNumber(args, 'seed') ?? 0;")).toHaveLength(1);
    expect(untypedOptionReads("if (optFlag(args, 'json')) {")).toHaveLength(1);
    expect(untypedOptionReads("const x = args.options['from-summaries'] === true;")).toHaveLength(1);
    expect(untypedOptionReads('const x = args.options.label;')).toHaveLength(1);
    // typed reads and reads by a registry-made name pass
    expect(untypedOptionReads("const o = optionValues(args, options);\nif (optGiven(args, options, 'port')) o.port;")).toEqual([]);
    expect(untypedOptionReads('const value = args.options[optionName(name, parameter)];')).toEqual([]);
  });

  it('finds the command files (the scan is not vacuous)', () => {
    const names = cliSources().map((f) => relative(CLI, f));
    expect(names).toContain(join('commands', 'shift.ts'));
    expect(names.length).toBeGreaterThan(12);
  });
});
