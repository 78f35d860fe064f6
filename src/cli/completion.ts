/**
 * `actgrad completion bash|zsh|fish`: a completion script generated from the completion model
 * (complete-data.ts, itself read off the registry and the commander program). Each script holds
 * the model as `case` tables and runs the model's algorithm in its own shell, so that pressing Tab
 * costs a few shell builtins and never starts node. bash and zsh share the tables and the
 * algorithm's text (both read `case`, `[[ ]]` and `${var%%pattern}` alike); fish has its own.
 */
import { UsageError } from '../errors';
import { type BuildProgram, type CommandModel, type CompletionModel, completionModel, type FlagModel, LISTED_KINDS, type ListedKind, SHELLS } from './complete-data';

type Shell = (typeof SHELLS)[number];

/** `'text'` for bash and zsh: a single-quoted word, with ' written as '\''. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** `'text'` for fish, whose single quotes take \' and \\. */
const fq = (s: string): string => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/** A description on one line, without the default in parentheses (the flag's value shows that). */
const shortDescription = (s: string): string => s.replace(/\s+/g, ' ').replace(/\s*\((?:default|required)[^()]*\)$/, '').trim();

/** Keys grouped by the text they map to, in first-seen order: one `case` arm per group. */
function groupBy<T>(entries: readonly [string, T][], text: (v: T) => string): [string[], string][] {
  const groups = new Map<string, string[]>();
  for (const [key, v] of entries) {
    const t = text(v);
    groups.set(t, [...(groups.get(t) ?? []), key]);
  }
  return [...groups].map(([t, keys]) => [keys, t]);
}

/** The tables every script needs, as plain data (the shells only differ in how they write them). */
interface Tables {
  /** alias or snake_case spelling → canonical name */
  canon: [string, string][];
  /** key ('' before the command, a command, plot:<function>) → its flags; RUN<i> stands for runs[i] */
  flags: [string, string[]][];
  /** runs of flags that many commands share (the derivative, output and check options) */
  runs: string[][];
  /** "<key> <flag>" patterns → the flag's choices, or '@file' */
  values: [string[], string][];
  /** each listed kind → [words, snake_case words] */
  lists: Record<ListedKind, [string[], string[]]>;
  /** a command's positional kinds: [first, later] */
  kinds: [string, [string, string]][];
  valued: string[];
  /** word → description, for zsh and fish */
  descriptions: Map<string, string>;
}

/** How a shared run is written in a flag list (a flag never looks like this). */
const RUN = (i: number): string => `RUN${i}`;
const runIndex = (token: string): number | undefined => (/^RUN(\d+)$/.test(token) ? Number(token.slice(3)) : undefined);

/**
 * Most commands share long runs of flags (every function has the derivative, output and check
 * options): the longest common ending, then the longest common beginnings, become variables, so
 * that each command's line holds little more than its own parameters. Greedy: each round takes
 * the run that saves the most characters, shared by at least 3 lists.
 */
function factorRuns(entries: [string, string[]][]): { lists: [string, string[]][]; runs: string[][] } {
  const runs: string[][] = [];
  let lists = entries.map(([k, fs]): [string, string[]] => [k, [...fs]]);
  for (const side of ['end', 'start', 'start', 'start'] as const) {
    const counts = new Map<string, { run: string[]; count: number }>();
    for (const [, fs] of lists) {
      // Only the part not yet factored: before the first run token (or after the last, at the end).
      const factored = fs.map((f) => runIndex(f) !== undefined);
      const tokens = side === 'end' ? fs.slice(factored.lastIndexOf(true) + 1) : fs.slice(0, factored.includes(true) ? factored.indexOf(true) : fs.length);
      for (let n = 2; n <= tokens.length; n++) {
        const run = side === 'end' ? tokens.slice(tokens.length - n) : tokens.slice(0, n);
        const key = run.join(' ');
        counts.set(key, { run, count: (counts.get(key)?.count ?? 0) + 1 });
      }
    }
    let best: { run: string[]; saved: number } | undefined;
    for (const [key, { run, count }] of counts) {
      const saved = (count - 1) * key.length;
      if (count >= 3 && (!best || saved > best.saved)) best = { run, saved };
    }
    if (!best) break;
    const run = best.run;
    const i = runs.push(run) - 1;
    const matches = (fs: string[], at: number): boolean => at >= 0 && run.every((f, j) => fs[at + j] === f);
    lists = lists.map(([k, fs]): [string, string[]] => {
      if (side === 'end' && matches(fs, fs.length - run.length)) return [k, [...fs.slice(0, fs.length - run.length), RUN(i)]];
      if (side === 'start' && matches(fs, 0)) return [k, [RUN(i), ...fs.slice(run.length)]];
      return [k, fs];
    });
  }
  return { lists, runs };
}

function tables(model: CompletionModel): Tables {
  const canon: [string, string][] = model.commands.flatMap((c) => [...c.aliases, ...c.snake].map((a): [string, string] => [a, c.name]));
  const keyed: [string, FlagModel[]][] = [
    ['', model.leading],
    ...model.commands.filter((c) => c.flags.length).map((c): [string, FlagModel[]] => [c.name, c.flags]),
    ...Object.entries(model.plotFlags).map(([fn, flags]): [string, FlagModel[]] => [`plot:${fn}`, flags]),
  ];
  const { lists: flags, runs } = factorRuns(keyed.map(([key, fs]): [string, string[]] => [key, fs.flatMap((f) => f.names)]));

  // A flag's values: one pattern "* --flag" when every command that has the flag agrees, else one per key.
  const valueOf = (f: FlagModel): string | undefined => (f.value === 'file' ? '@file' : f.value === 'choice' ? f.choices!.join(' ') : undefined);
  const byFlag = new Map<string, Map<string, string[]>>();
  for (const [key, fs] of keyed) {
    for (const f of fs) {
      const v = valueOf(f);
      if (v === undefined) continue;
      for (const name of f.names.filter((n) => n.startsWith('--'))) {
        const m = byFlag.get(name) ?? new Map<string, string[]>();
        m.set(v, [...(m.get(v) ?? []), key]);
        byFlag.set(name, m);
      }
    }
  }
  const values: [string[], string][] = [];
  for (const [name, m] of byFlag) {
    const everywhere = keyed.filter(([, fs]) => fs.some((f) => f.names.includes(name))).length;
    for (const [v, keys] of m) values.push([keys.length === everywhere && m.size === 1 ? [`* ${name}`] : keys.map((k) => `${k} ${name}`), v]);
  }

  const lists = Object.fromEntries(LISTED_KINDS.map((k) => [k, [model.lists[k].words, model.lists[k].snake]])) as Tables['lists'];
  const kinds = model.commands.filter((c) => c.group !== 'call').map((c): [string, [string, string]] => [c.name, [c.first, c.rest]]);

  // zsh and fish show a description beside each candidate. A flag's is shown only when it says the
  // same under every command (--weight means different things to prelu and cross-entropy).
  const descriptions = new Map<string, string>();
  const describe = (c: CommandModel, name: string): string => (name === c.name ? shortDescription(c.description) : `= ${c.name}`);
  for (const c of model.commands) for (const n of [c.name, ...c.aliases, ...c.snake]) descriptions.set(n, describe(c, n));
  const flagTexts = new Map<string, Set<string>>();
  for (const [, fs] of keyed) for (const f of fs) for (const n of f.names) flagTexts.set(n, (flagTexts.get(n) ?? new Set()).add(shortDescription(f.description)));
  for (const [n, texts] of flagTexts) if (texts.size === 1) descriptions.set(n, [...texts][0]);

  return { canon, flags, runs, values, lists, kinds, valued: model.valued, descriptions };
}

/**
 * plot's own flags serve `plot:<function>` for a function that adds none (or one not known): the
 * arm that holds plot goes last, after the arms of the functions that add flags, which `case`
 * must try first.
 */
function plotLast<T>(groups: [string[], T][]): [string[], T][] {
  return [...groups.filter(([keys]) => !keys.includes('plot')), ...groups.filter(([keys]) => keys.includes('plot'))];
}

/** A `case` pattern list for bash and zsh: 'a'|'b'. */
const patterns = (keys: readonly string[]): string => keys.map((k) => (k.startsWith('* ') ? `*${sq(k.slice(1))}` : sq(k))).join('|');

/** The tables as bash/zsh functions that set REPLY. */
function posixTables(t: Tables): string {
  const arm = (keys: readonly string[], body: string): string => `    ${patterns(keys)}) ${body} ;;`;
  const word = (f: string): string => (runIndex(f) === undefined ? f : `$_actgrad_run${runIndex(f)}`);
  const flagArms = plotLast(groupBy(t.flags, (fs) => fs.join(' '))).map(
    ([keys, fs]) => `    ${patterns(keys)}${keys.includes('plot') ? `|'plot:'*` : ''}) REPLY="${fs.split(' ').map(word).join(' ')}" ;;`,
  );
  const kindArms = groupBy(t.kinds, ([first, rest]) => `${first} ${rest}`).map(([keys, k]) => {
    const [first, rest] = k.split(' ');
    return arm(keys, `[[ $2 == 0 ]] && REPLY=${first} || REPLY=${rest}`);
  });
  return [
    '# A spelling\'s command: aliases and snake_case spellings → the canonical name.',
    '_actgrad_canon() {',
    '  case $1 in',
    ...groupBy(t.canon, (name) => name).map(([keys, name]) => arm(keys, `REPLY=${sq(name)}`)),
    '    *) REPLY=$1 ;;',
    '  esac',
    '}',
    '',
    '# Runs of flags that many commands share.',
    ...t.runs.map((run, i) => `_actgrad_run${i}=${sq(run.join(' '))}`),
    '',
    '# The flags of a command ($1: the command, plot:<function>, or empty before the command).',
    '_actgrad_flags() {',
    '  case $1 in',
    ...flagArms,
    "    *) REPLY='' ;;",
    '  esac',
    '}',
    '',
    '# The values of flag $2 under command $1: its choices, @file for a file it writes, else none.',
    '_actgrad_values() {',
    '  case "$1 $2" in',
    ...t.values.map(([keys, v]) => arm(keys, `REPLY=${sq(v)}`)),
    "    *) REPLY='' ;;",
    '  esac',
    '}',
    '',
    '# What positional argument number $2 (from 0) of command $1 is.',
    '_actgrad_kind() {',
    '  case $1 in',
    ...kindArms,
    '    *) REPLY=none ;;',
    '  esac',
    '}',
    '',
    '# The words of a listed kind ($1); snake_case spellings too once the word ($2) has an underscore.',
    '_actgrad_list() {',
    '  case $1 in',
    ...LISTED_KINDS.map((k) => {
      const [words, snake] = t.lists[k];
      return `    ${k}) REPLY=${sq(words.join(' '))}${snake.length ? `; [[ $2 == *_* ]] && REPLY+=${sq(` ${snake.join(' ')}`)}` : ''} ;;`;
    }),
    '  esac',
    '}',
    '',
    `_actgrad_valued=${sq(` ${t.valued.join(' ')} `)}`,
  ].join('\n');
}

/**
 * The algorithm of complete-data.ts's completionContext, in bash/zsh: the candidates for the word
 * $1 after the words $2...: _actgrad_words (a list, before filtering), _actgrad_files (1: file
 * names instead) and _actgrad_prefix (the part of $1 kept before each candidate).
 */
function posixAlgorithm(shell: 'bash' | 'zsh'): string {
  const local = shell === 'zsh' ? '  emulate -L zsh\n' : '';
  return `# A flag, not a negative number (-1, -.5, -inf are data).
_actgrad_isflag() {
${local}  [[ $1 == -?* && ! $1 =~ ^-([0-9.]|[iI][nN][fF]|[nN][aA][nN]) ]]
}

# Where numbers go: @FILE completes file names.
_actgrad_numbers() {
  if [[ $1 == @* ]]; then _actgrad_prefix+=@; _actgrad_files=1; fi
}

_actgrad_candidates() {
${local}  local cur=$1 t cmd= key= pending= valueof= pos=0 ended=0 REPLY=
  shift
  _actgrad_words= _actgrad_files=0 _actgrad_prefix=
  for t in "$@"; do
    if [[ -n $pending ]]; then pending=; continue; fi
    if (( ! ended )) && _actgrad_isflag "$t"; then
      if [[ $t == -- ]]; then ended=1
      elif [[ $t != *=* && $_actgrad_valued == *" $t "* ]]; then pending=$t; fi
      continue
    fi
    if [[ -z $cmd ]]; then _actgrad_canon "$t"; cmd=$REPLY key=$REPLY; continue; fi
    if (( pos == 0 )) && [[ $cmd == plot ]]; then _actgrad_canon "$t"; key=plot:$REPLY; fi
    pos=$((pos + 1))
  done
  valueof=$pending
  if [[ -z $valueof ]] && (( ! ended )) && [[ $cur == --*=* ]]; then
    valueof=\${cur%%=*}; _actgrad_prefix=$valueof=; cur=\${cur#*=}
  fi
  if [[ -n $valueof ]]; then
    _actgrad_values "$key" "$valueof"
    if [[ $REPLY == @file ]]; then _actgrad_files=1
    elif [[ -n $REPLY ]]; then _actgrad_words=$REPLY
    else _actgrad_numbers "$cur"; fi
    return 0
  fi
  if (( ! ended )) && { [[ $cur == - ]] || _actgrad_isflag "$cur"; }; then _actgrad_flags "$key"; _actgrad_words=$REPLY; return 0; fi
  if [[ -z $cmd ]]; then _actgrad_list commands "$cur"; _actgrad_words=$REPLY; return 0; fi
  _actgrad_kind "$cmd" "$pos"
  case $REPLY in
    numbers) _actgrad_numbers "$cur" ;;
    bindings)
      if [[ $cur =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then _actgrad_prefix=\${cur%%=*}=; _actgrad_numbers "\${cur#*=}"; fi ;;
    commands|functions|plottable|shells) _actgrad_list "$REPLY" "$cur"; _actgrad_words=$REPLY ;;
  esac
  return 0
}`;
}

function header(shell: Shell, model: CompletionModel, comment: string): string {
  const version = (require('../../package.json') as { version: string }).version;
  const count = model.commands.filter((c) => c.group !== 'command').length;
  const load =
    shell === 'bash'
      ? ['Load it in this shell:  source <(actgrad completion bash)', 'or for every session:   actgrad completion bash > ~/.local/share/bash-completion/completions/actgrad']
      : shell === 'zsh'
        ? ['Load it in this shell (after compinit):  source <(actgrad completion zsh)', 'or for every session: actgrad completion zsh > "${fpath[1]}/_actgrad"  (a directory in $fpath)']
        : ['Load it in this shell:  actgrad completion fish | source', 'or for every session:   actgrad completion fish > ~/.config/fish/completions/actgrad.fish'];
  return [
    `${comment} ${shell} completion for actgrad ${version}: commands, ${count} functions with their aliases and flags,`,
    `${comment} values of enumerated flags. Generated from actgrad's registry by \`actgrad completion ${shell}\`: regenerate it after an upgrade.`,
    ...load.map((l) => `${comment} ${l}`),
  ].join('\n');
}

function bashScript(model: CompletionModel): string {
  const t = tables(model);
  return `${header('bash', model, '#')}

${posixTables(t)}

${posixAlgorithm('bash')}

_actgrad() {
  local IFS=$' \\t\\n' i t glue=0 c
  local -a w=() reply=()
  # bash splits words at '=', '@' and ':' (COMP_WORDBREAKS): join --flag=value and x=@file back.
  for ((i = 1; i <= COMP_CWORD; i++)); do
    t=\${COMP_WORDS[i]}
    if (( \${#w[@]} )) && { (( glue )) || [[ $t =~ ^[=:][=@:]*$ ]]; }; then w[\${#w[@]}-1]+=$t; else w+=("$t"); fi
    if [[ $t =~ ^[=@:]+$ ]]; then glue=1; else glue=0; fi
  done
  local cur=\${w[\${#w[@]}-1]} word k
  # What readline replaces: the text after the last of those characters, or from an '@' on
  # (readline keeps '@' in the word, as one of its rl_special_prefixes).
  word=$cur
  for ((k = \${#cur} - 1; k >= 0; k--)); do
    if [[ $COMP_WORDBREAKS == *"\${cur:k:1}"* ]]; then
      if [[ \${cur:k:1} == @ ]]; then word=\${cur:k}; else word=\${cur:k+1}; fi
      break
    fi
  done
  _actgrad_candidates "$cur" "\${w[@]:0:\${#w[@]}-1}"
  if (( _actgrad_files )); then
    # Quoted and marked here rather than with 'compopt -o filenames', which would write @ as \\@.
    while IFS= read -r c; do
      if [[ -d $c ]]; then c+=/; compopt -o nospace 2>/dev/null; fi
      printf -v c %q "$c"
      reply+=("$_actgrad_prefix$c")
    done < <(compgen -f -- "\${cur:\${#_actgrad_prefix}}")
  else
    for c in $_actgrad_words; do [[ $_actgrad_prefix$c == "$cur"* ]] && reply+=("$_actgrad_prefix$c"); done
  fi
  COMPREPLY=()
  for c in "\${reply[@]}"; do COMPREPLY+=("\${c:\${#cur}-\${#word}}"); done
}
complete -F _actgrad actgrad
`;
}

function zshScript(model: CompletionModel): string {
  const t = tables(model);
  const descriptions = [...t.descriptions].map(([w, d]) => `  ${sq(w)} ${sq(d)}`).join('\n');
  return `#compdef actgrad
${header('zsh', model, '#')}

${posixTables(t)}

typeset -gA _actgrad_description
_actgrad_description=(
${descriptions}
)

${posixAlgorithm('zsh')}

# compsys has set the options its functions need: no 'emulate' here (it would undo them).
_actgrad() {
  local c
  local -a described
  _actgrad_candidates "$PREFIX" "\${(@)words[2,CURRENT-1]}"
  [[ -n $_actgrad_prefix ]] && compset -P "\${(b)_actgrad_prefix}"
  if (( _actgrad_files )); then _files; return; fi
  for c in \${=_actgrad_words}; do
    if [[ -n \${_actgrad_description[$c]} ]]; then described+=("\${c//:/\\\\:}:\${_actgrad_description[$c]}"); else described+=("\${c//:/\\\\:}"); fi
  done
  (( \${#described} )) && _describe -t actgrad actgrad described
}

# From $fpath, this file is the function _actgrad; sourced, it registers it.
if [[ \${funcstack[1]} == _actgrad ]]; then
  _actgrad "$@"
elif (( \${+functions[compdef]} )); then
  compdef _actgrad actgrad
else
  print -ru2 'actgrad: zsh completion needs compinit first: autoload -Uz compinit && compinit'
fi
`;
}

function fishScript(model: CompletionModel): string {
  const t = tables(model);
  const fpat = (keys: readonly string[]): string => keys.map((k) => fq(k)).join(' ');
  const sw = (name: string, comment: string, subject: string, arms: string[], fallback: string): string =>
    [`# ${comment}`, `function ${name}`, `    switch ${subject}`, ...arms, `        case '*'`, `            ${fallback}`, '    end', 'end'].join('\n');
  const flagArms = plotLast(groupBy(t.flags, (fs) => fs.join(' '))).flatMap(([keys, fs]) => [
    `        case ${fpat(keys)}${keys.includes('plot') ? " 'plot:*'" : ''}`,
    `            printf '%s\\n' ${fs.split(' ').map((f) => (runIndex(f) === undefined ? fq(f) : `$__actgrad_run${runIndex(f)}`)).join(' ')}`,
  ]);
  const lines = [
    header('fish', model, '#'),
    '',
    sw('__actgrad_canon', "a spelling's command: aliases and snake_case spellings → the canonical name", '$argv[1]',
      groupBy(t.canon, (n) => n).flatMap(([keys, n]) => [`        case ${fpat(keys)}`, `            echo ${fq(n)}`]), 'echo $argv[1]'),
    '',
    '# Runs of flags that many commands share.',
    ...t.runs.map((run, i) => `set -g __actgrad_run${i} ${run.map(fq).join(' ')}`),
    '',
    sw('__actgrad_flags', 'the flags of a command ($argv[1]: the command, plot:<function>, or empty before the command)', '$argv[1]', flagArms, 'return 0'),
    '',
    sw('__actgrad_values', 'the values of flag $argv[2] under command $argv[1]: its choices, @file for a file it writes, else none', '"$argv[1] $argv[2]"',
      t.values.flatMap(([keys, v]) => [`        case ${fpat(keys)}`, `            printf '%s\\n' ${v.split(' ').map(fq).join(' ')}`]), 'return 0'),
    '',
    sw('__actgrad_kind', 'what positional argument number $argv[2] (from 0) of command $argv[1] is', '$argv[1]',
      groupBy(t.kinds, ([first, rest]) => `${first} ${rest}`).flatMap(([keys, k]) => {
        const [first, rest] = k.split(' ');
        return [`        case ${fpat(keys)}`, `            test "$argv[2]" = 0; and echo ${first}; or echo ${rest}`];
      }), 'echo none'),
    '',
    sw('__actgrad_list', 'the words of a listed kind ($argv[1]); snake_case spellings too once the word ($argv[2]) has an underscore', '$argv[1]',
      LISTED_KINDS.flatMap((k) => {
        const [words, snake] = t.lists[k];
        return [
          `        case ${k}`,
          `            printf '%s\\n' ${words.map(fq).join(' ')}`,
          ...(snake.length ? [`            string match -q -- '*_*' "$argv[2]"; and printf '%s\\n' ${snake.map(fq).join(' ')}`] : []),
        ];
      }), 'return 0'),
    '',
    sw('__actgrad_describe', "a candidate's description", '$argv[1]',
      groupBy([...t.descriptions], (d) => d).flatMap(([keys, d]) => [`        case ${fpat(keys)}`, `            echo ${fq(d)}`]), 'return 0'),
    '',
    `set -g __actgrad_valued ${t.valued.map(fq).join(' ')}`,
    '',
    `# A flag, not a negative number (-1, -.5, -inf are data).
function __actgrad_isflag
    string match -q -- '-?*' $argv[1]; and not string match -qir -- '^-([0-9.]|inf|nan)' $argv[1]
end

# Where numbers go: @FILE completes file names.
function __actgrad_numbers
    if string match -q -- '@*' $argv[1]
        set -g __actgrad_prefix "$__actgrad_prefix@"
        set -g __actgrad_files 1
    end
end

# The algorithm of complete-data.ts's completionContext: the candidates for the word $argv[1]
# after the words $argv[2..]: __actgrad_words (before filtering), __actgrad_files (1: file names
# instead) and __actgrad_prefix (the part of the word kept before each candidate).
function __actgrad_candidates
    set -l cur $argv[1]
    set -l cmd ''
    set -l key ''
    set -l pending ''
    set -l pos 0
    set -l ended 0
    set -g __actgrad_words
    set -g __actgrad_files 0
    set -g __actgrad_prefix ''
    for t in $argv[2..-1]
        if test -n "$pending"
            set pending ''
            continue
        end
        if test $ended = 0; and __actgrad_isflag $t
            if test "$t" = --
                set ended 1
            else if not string match -q -- '*=*' $t; and contains -- $t $__actgrad_valued
                set pending $t
            end
            continue
        end
        if test -z "$cmd"
            set cmd (__actgrad_canon $t)
            set key $cmd
            continue
        end
        if test $pos = 0 -a "$cmd" = plot
            set key plot:(__actgrad_canon $t)
        end
        set pos (math $pos + 1)
    end
    set -l valueof $pending
    if test -z "$valueof" -a $ended = 0; and string match -q -- '--*=*' $cur
        set valueof (string split -m 1 = -- $cur)[1]
        set -g __actgrad_prefix "$valueof="
        set cur (string split -m 1 = -- $cur)[2]
    end
    if test -n "$valueof"
        set -l values (__actgrad_values $key $valueof)
        if test "$values" = @file
            set -g __actgrad_files 1
        else if test (count $values) -gt 0
            set -g __actgrad_words $values
        else
            __actgrad_numbers $cur
        end
        return 0
    end
    if test $ended = 0; and begin; test "$cur" = -; or __actgrad_isflag $cur; end
        set -g __actgrad_words (__actgrad_flags $key)
        return 0
    end
    if test -z "$cmd"
        set -g __actgrad_words (__actgrad_list commands $cur)
        return 0
    end
    set -l kind (__actgrad_kind $cmd $pos)
    switch $kind
        case numbers
            __actgrad_numbers $cur
        case bindings
            if string match -qr -- '^[A-Za-z_][A-Za-z0-9_]*=' $cur
                set -l parts (string split -m 1 = -- $cur)
                set -g __actgrad_prefix "$parts[1]="
                __actgrad_numbers "$parts[2]"
            end
        case commands functions plottable shells
            set -g __actgrad_words (__actgrad_list $kind $cur)
    end
    return 0
end

function __actgrad_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    __actgrad_candidates "$cur" $tokens[2..-1]
    if test $__actgrad_files = 1
        set -l path (string sub -s (math (string length -- "$__actgrad_prefix") + 1) -- "$cur")
        for f in (__fish_complete_path "$path")
            printf '%s%s\\n' $__actgrad_prefix $f
        end
        return 0
    end
    for w in $__actgrad_words
        printf '%s%s\\t%s\\n' $__actgrad_prefix $w (__actgrad_describe $w)
    end
end

complete -c actgrad -e
complete -c actgrad -f -a '(__actgrad_complete)'
`,
  ];
  return lines.join('\n');
}

/**
 * The completion script of a shell, generated from the registry and the flags (through the
 * commander program that `build` makes: program.ts's buildProgram).
 */
export function completionScript(shell: string, build: BuildProgram): string {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`no completion for the shell "${shell}"; actgrad completion takes ${SHELLS.slice(0, -1).join(', ')} or ${SHELLS[SHELLS.length - 1]}`);
  }
  const model = completionModel(build);
  switch (shell as Shell) {
    case 'bash':
      return bashScript(model);
    case 'zsh':
      return zshScript(model);
    case 'fish':
      return fishScript(model);
    default:
      throw new Error(`completionScript: no generator for ${shell}`);
  }
}
