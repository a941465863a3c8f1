// CPU time read from Linux /proc, for the benchmarks: what each process (all its threads) and the
// whole machine spent between two samples.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ, the unit of the /proc CPU counters (100 on every common Linux). */
const ticksPerSecond = (() => {
  const value = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  return Number.isInteger(value) && value > 0 ? value : 100;
})();
const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond;

/** The resolution of every figure below, in ms (10 ms at USER_HZ 100). */
export const cpuResolutionMs = toMs(1);

/** utime + stime of `pid` (every thread of the process) in ms; undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  return statCpuMs(`/proc/${pid}/stat`);
}

/** utime + stime of the main thread of `pid` alone (a Node process: the JavaScript thread) in ms. */
export function mainThreadCpuMs(pid: number): number | undefined {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuMs(file: string): number | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    // Fields after "(comm)": 3 state … 14 utime, 15 stime (proc(5)); comm may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return toMs(Number(fields[11]) + Number(fields[12]));
  } catch {
    return undefined;
  }
}

/** Busy CPU time of the whole machine, all cores, in ms (/proc/stat: user, nice, system, irq, softirq). */
export function machineBusyMs(): number {
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return toMs(user + nice + system + irq + softirq);
}

/**
 * CPU time of the PostgreSQL backends serving `databases` (one process per connection). They are
 * found by their process title ("postgres: 15/main: user database host(port) state") and sampled
 * every `intervalMs` while a measurement runs, so a backend that exits mid-run loses at most one
 * interval; backends of other databases (other work on the machine) are not counted.
 */
export class PostgresBackendsCpu {
  private readonly databases: readonly string[];
  private readonly intervalMs: number;
  private start = new Map<number, number>();
  private latest = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(databases: readonly string[], intervalMs = 500) {
    this.databases = databases;
    this.intervalMs = intervalMs;
  }

  begin(): void {
    this.latest = new Map();
    this.sample();
    this.start = new Map(this.latest);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** CPU ms since begin() and the number of backends seen. */
  end(): { cpuMs: number; backends: number } {
    clearInterval(this.timer);
    this.sample();
    let cpuMs = 0;
    for (const [pid, ms] of this.latest) cpuMs += ms - (this.start.get(pid) ?? 0);
    return { cpuMs, backends: this.latest.size };
  }

  private sample(): void {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (!this.latest.has(pid) && !this.isBackend(pid)) continue;
      const ms = processCpuMs(pid);
      if (ms !== undefined) this.latest.set(pid, ms);
    }
  }

  private isBackend(pid: number): boolean {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return title.startsWith('postgres: ') && this.databases.some((database) => title.includes(` ${database} `));
    } catch {
      return false;
    }
  }
}
