import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';

/** What a recorded benchmark result needs to say about where it ran. */
export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
  /** Other tools the benchmark compares against, name to version line. */
  readonly tools: Record<string, string>;
  /** ISO date and time of the run. */
  readonly date: string;
}

/** Describes this machine; `tools` maps a name to the command that prints its version (`['git', '--version']`). */
export function describeMachine(tools: Record<string, readonly string[]> = {}): Machine {
  return {
    cpus: availableCpus(),
    cpuModel: cpuModel(),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tools: Object.fromEntries(
      Object.entries(tools).map(([name, [command, ...args]]) => [name, spawnSync(command, args, { encoding: 'utf8' }).stdout?.trim() || 'unknown']),
    ),
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** Markdown lines describing the machine, for a results file. */
export function machineMarkdown(machine: Machine): string[] {
  return [
    `- CPU: ${machine.cpus} × ${machine.cpuModel} (\`nproc\` = ${machine.cpus})`,
    `- memory: ${machine.memory}`,
    `- OS: ${machine.os}`,
    `- Node ${machine.node}${Object.values(machine.tools).map(version => `, ${version}`).join('')}`,
    `- date: ${machine.date}`,
  ];
}

/** The CPUs this process may run on, as `nproc` counts them. */
function availableCpus(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}
