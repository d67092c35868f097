import { parseArgs } from 'node:util';
import { UsageError, type CommandSpec } from './command';
import { commands, type Command } from './registry';

/**
 * `foyer <command>`: the operator's tools. Reads the same environment as the server
 * (DATABASE_URL, DATA_DIR, FOYER_CONFIG…). Exit codes: 0 done, 1 failed (one line on stderr),
 * 2 wrong arguments (with the usage).
 */
const names = Object.keys(commands) as Command[];

function usageLine(name: Command, spec: CommandSpec): string {
  return `foyer ${name}${spec.usage ? ` ${spec.usage}` : ''}`;
}

function overview(): string {
  const width = Math.max(...names.map((n) => usageLine(n, commands[n]).length));
  const lines = names.map((n) => `  ${usageLine(n, commands[n]).padEnd(width)}  ${commands[n].summary}`);
  return `Usage:\n${lines.join('\n')}\n\nfoyer <command> --help tells more about one. The environment is the server's (DATABASE_URL, DATA_DIR, FOYER_CONFIG…).\n`;
}

function commandHelp(name: Command, spec: CommandSpec): string {
  return `Usage: ${usageLine(name, spec)}\n\n${spec.summary}.\n\n${spec.help}\n`;
}

/** The command named by the first one or two words, and the arguments after them. */
function resolve(argv: string[]): { name: Command; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1]}`;
  if (names.includes(two as Command)) return { name: two as Command, rest: argv.slice(2) };
  if (names.includes(argv[0] as Command)) return { name: argv[0] as Command, rest: argv.slice(1) };
  return undefined;
}

function parse(spec: CommandSpec, rest: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { help: { type: 'boolean', short: 'h' }, ...Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.type }])) },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split('. ')[0]);
  }
  if (parsed.values.help) return { help: true as const };
  const required = spec.positionals.filter((p) => p.required).length;
  if (parsed.positionals.length < required) throw new UsageError(`missing <${spec.positionals[parsed.positionals.length].name}>`);
  if (parsed.positionals.length > spec.positionals.length) throw new UsageError(`unexpected argument '${parsed.positionals[spec.positionals.length]}'`);
  return { help: false as const, positionals: parsed.positionals, options: parsed.values as Record<string, string | boolean | undefined> };
}

export async function main(argv: string[], io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.err : io.out).write(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const found = resolve(argv);
  if (!found) {
    const group = names.filter((n) => n.startsWith(`${argv[0]} `));
    const known = group.length > 0 ? `foyer ${argv[0]}: give one of ${group.map((n) => n.split(' ')[1]).join(', ')}` : `foyer: unknown command '${argv.join(' ')}'`;
    io.err.write(`${known}\n\n${overview()}`);
    return 2;
  }
  const spec = commands[found.name];
  try {
    const args = parse(spec, found.rest);
    if (args.help) {
      io.out.write(commandHelp(found.name, spec));
      return 0;
    }
    return (await spec.run({ positionals: args.positionals, options: args.options, out: io.out })) ?? 0;
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    if (e instanceof UsageError) {
      io.err.write(`foyer ${found.name}: ${message}\nUsage: ${usageLine(found.name, spec)} (--help tells more)\n`);
      return e.code;
    }
    io.err.write(`foyer ${found.name}: ${message}\n`);
    return 1;
  }
}
