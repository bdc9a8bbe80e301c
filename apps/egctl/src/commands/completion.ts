// `egctl completion bash|zsh`: shell completion scripts generated from the command table, so a new command
// completes without touching this file.
import type { Command, CommandOptions } from "../cli.js";
import { EXIT_USAGE } from "../cli.js";

/** The shells `egctl completion` writes scripts for. */
export const COMPLETION_SHELLS = ["bash", "zsh"] as const;

function flagsOf(options: CommandOptions): string[] {
  const flags = ["--help"];
  for (const [name, o] of Object.entries(options)) {
    flags.push(`--${name}`);
    if (o.short) flags.push(`-${o.short}`);
  }
  return flags;
}

/** The words that may follow `egctl <prefix...>`: subcommand words, or a command's flags once it is complete. */
function completionTable(commands: ReadonlyArray<Command>): Map<string, string[]> {
  const table = new Map<string, Set<string>>();
  const add = (key: string, word: string) => {
    const set = table.get(key) ?? new Set<string>();
    set.add(word);
    table.set(key, set);
  };
  for (const c of commands) {
    for (let i = 0; i < c.path.length; i++) add(c.path.slice(0, i).join(" "), c.path[i]!);
    for (const f of flagsOf(c.options)) add(c.path.join(" "), f);
  }
  return new Map([...table].map(([k, v]) => [k, [...v].sort()]));
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A bash completion script for the given command table (also loaded by zsh through bashcompinit). */
export function bashCompletion(commands: ReadonlyArray<Command>): string {
  const cases = [...completionTable(commands)].map(([key, words]) => `    ${shellQuote(key)}) words=${shellQuote(words.join(" "))} ;;`).join("\n");
  return `# bash completion for egctl; load with: source <(egctl completion bash)
_egctl() {
  local cur prefix="" i words=""
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      -*) break ;;
      *) prefix="\${prefix:+$prefix }\${COMP_WORDS[i]}" ;;
    esac
  done
  case "$prefix" in
${cases}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _egctl egctl
`;
}

/** A zsh completion script: the bash one, through zsh's bashcompinit. */
export function zshCompletion(commands: ReadonlyArray<Command>): string {
  return `#compdef egctl
# zsh completion for egctl; load with: source <(egctl completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(commands).split("\n").slice(1).join("\n")}`;
}

/** The `completion` command over a command table (given lazily: the table includes this command). */
export function completionCommand(table: () => ReadonlyArray<Command>): Command {
  return {
    path: ["completion"],
    summary: "Print a shell completion script (bash or zsh): source <(egctl completion bash)",
    usage: "bash|zsh",
    options: {},
    allowPositionals: true,
    async run(args, io) {
      const shell = args.positionals[0];
      if (args.positionals.length !== 1 || (shell !== "bash" && shell !== "zsh")) {
        io.stderr(`egctl completion: expected one shell argument, bash or zsh${shell === undefined ? "" : `, not "${args.positionals.join(" ")}"`}\n`);
        return EXIT_USAGE;
      }
      io.stdout(shell === "bash" ? bashCompletion(table()) : zshCompletion(table()));
      return 0;
    },
  };
}
