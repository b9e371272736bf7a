import * as fs from 'fs';
import * as path from 'path';
import type { Command } from '../../src/cli/command';

/** The column where an option line's description starts (`  --flag ARG   text`), or undefined. */
function descriptionColumn(line: string): number | undefined {
  const match = /^( {2}--\S+(?: [A-Z][A-Z.|]*| [a-z0-9]+(?:\|[a-z0-9]+)+)? {2,})\S/.exec(line);
  return match ? match[1].length : undefined;
}

describe('--help', () => {
  const dir = path.join(__dirname, '../../src/cli/commands');
  const commands = fs.readdirSync(dir).filter(name => name.endsWith('.ts'));

  test.each(commands)("%s: every option's description starts at the same column", file => {
    const command: Command = require(path.join(dir, file)).command;
    const columns = new Set(command.usage.split('\n').map(descriptionColumn).filter(column => column !== undefined));
    expect(columns.size).toBeLessThanOrEqual(1);
  });

  test.each(commands)('%s: an option with a default is not shown as required on the usage lines', file => {
    const command: Command = require(path.join(dir, file)).command;
    const lines = command.usage.split('\n');
    const usageLines = lines.filter(line => /^(Usage:| {7})\s*blueprint /.test(line));
    // `  --blueprint DIR   the blueprint folder [default: .]`: the flag and its argument.
    const defaulted = lines.flatMap(line => /^ {2}(--\S+(?: [A-Z]+)?) .*\[default: /.exec(line)?.[1] ?? []);
    for (const flag of defaulted) {
      // Optional: right after an opening bracket (`[--forge ALIAS [--forge-option K=V ...]]` nests one).
      for (const usage of usageLines) expect(usage.split(`[${flag}`).join('')).not.toContain(`${flag} `);
    }
  });

  test.each(commands)('%s: every line fits in the help width, as a terminal shows it', file => {
    const command: Command = require(path.join(dir, file)).command;
    const { HELP_WIDTH } = require('../../src/wrap') as typeof import('../../src/wrap');
    const long = command.usage.split('\n').filter(line => line.length > HELP_WIDTH);
    expect(long).toEqual([]);
  });

  test('new: says how many wizard configurations the project gets', () => {
    const command: Command = require(path.join(dir, 'new.ts')).command;
    const template = fs.readdirSync(path.join(__dirname, '../../templates/new-blueprint/src/wizard-configurations'));
    expect(template).toHaveLength(2);
    expect(command.usage).toContain('two wizard configurations');
  });

  test('the check finds a misaligned line', () => {
    expect(descriptionColumn('  --jobs N                  processes')).toBe(28);
    expect(descriptionColumn('  --style merge|diff3     conflict style')).toBe(26);
  });
});

describe('an unknown option', () => {
  const { parseCommandArgs } = require('../../src/cli/command') as typeof import('../../src/cli/command');
  const options = { blueprint: { type: 'string' }, outdir: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

  test.each([
    [['--bluprint', 'x'], "unknown option '--bluprint' (did you mean --blueprint?)"],
    [['--outdri=x'], "unknown option '--outdri' (did you mean --outdir?)"],
    [['--dry'], "unknown option '--dry' (did you mean --dry-run?)"],
    [['--zzz'], "unknown option '--zzz'"],
  ])('%j is named plainly, with the nearest option', (args, message) => {
    let thrown: unknown;
    try {
      parseCommandArgs({ args, options, allowPositionals: true });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toBe(message);
  });
});

describe("Node's parser errors, said as the CLI's own messages are", () => {
  const { parseCommandArgs } = require('../../src/cli/command') as typeof import('../../src/cli/command');
  const options = { outdir: { type: 'string' }, timeout: { type: 'string' }, verbose: { type: 'boolean' } } as const;

  test.each([
    [['--outdir'], '--outdir needs a value'],
    [['--timeout', '-5'], "--timeout needs a value, and '-5' starts with '-', so it reads as an option; if it is the value, write --timeout=-5"],
    [['--outdir', '--verbose'], "--outdir needs a value, and '--verbose' starts with '-', so it reads as an option; if it is the value, write --outdir=--verbose"],
    [['--verbose=yes'], '--verbose takes no value'],
    [['--outdir', 'out', 'extra'], "unexpected argument 'extra'"],
  ])('%j', (args, message) => {
    expect(() => parseCommandArgs({ args, options })).toThrow(new Error(message));
  });
});

describe('the runner options in each command\'s help', () => {
  const usage = (name: string): string => (require(`../../src/cli/commands/${name}`).command as Command).usage;
  const validation = (name: string) => /--validation MODE +([^]*?)\n {2}--/.exec(usage(name))![1].replace(/\s+/g, ' ');

  test.each(['drive-synth', 'drive-resynth', 'preview'])('%s runs a job per configuration: an error fails that one, the others run', name => {
    expect(validation(name)).toContain("error (fail that configuration's job, run the others)");
  });
  test.each(['synth', 'resynth'])('%s runs one configuration: an error fails its job', name => {
    expect(validation(name)).toContain('error (fail the job without running the blueprint)');
  });
  test.each(['create', 'update', 'check'])('%s refuses the options, changing nothing', name => {
    expect(validation(name)).toContain('error (refuse them: exit 2, nothing changed)');
  });

  test('--runner names its default once: no runner of the list says it is the default', () => {
    const runner = /--runner ALIAS +([^]*?)\n {2}--timeout/.exec(usage('synth'))![1];
    expect(runner).toContain('[default: sandbox for a package installed from a registry');
    expect(runner).not.toContain('(default)');
  });
});
