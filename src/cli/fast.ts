/**
 * The fast path: a plain function invocation (numbers and known options, each once and well
 * formed) is parsed here, from the same option list commander uses, so that such runs never load
 * commander. Anything else — help, a typo, a missing value, an invalid choice, a repeated flag,
 * "--" — returns undefined and goes to commander, which prints the help or the error.
 */
import { flagParts, optionKey, type OptionSpec, valueLeftOut } from './flags';

export interface Parsed {
  numbers: string[];
  opts: Record<string, string | boolean | string[]>;
}

export function fastParse(specs: readonly OptionSpec[], args: readonly string[]): Parsed | undefined {
  const byLong = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const s of specs) {
    const p = flagParts(s.flags);
    byLong.set(p.long, s);
    if (p.short) byShort.set(p.short, s);
  }
  const numbers: string[] = [];
  const opts: Record<string, string | boolean | string[]> = {};
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      numbers.push(a);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      spec = byLong.get(eq < 0 ? a.slice(2) : a.slice(2, eq));
      if (eq >= 0) inline = a.slice(eq + 1);
    } else if (a.length === 2) {
      spec = byShort.get(a[1]);
    }
    if (!spec) return undefined;
    const p = flagParts(spec.flags);
    const key = optionKey(p.long);
    if (seen.has(key) && !spec.repeatable) return undefined;
    seen.add(key);
    if (!p.takesValue) {
      if (inline !== undefined) return undefined;
      opts[key] = !p.negate;
      continue;
    }
    // commander takes the next word as the value, whatever it looks like; one of this command's
    // own options there means the value was left out (plot sigmoid --svg --width 300).
    const value = inline ?? args[++i];
    if (value === undefined) return undefined;
    const leftOut = valueLeftOut(p.long, value, (long) => byLong.has(long));
    if (leftOut) throw leftOut;
    if (spec.choices && !spec.choices.includes(value)) return undefined;
    opts[key] = spec.repeatable ? [...((opts[key] as string[] | undefined) ?? []), value] : value;
  }
  return { numbers, opts };
}
