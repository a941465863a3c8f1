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

/**
 * utime + stime of the threads of `pid` named `comm` (e.g. `libuv-worker`: a Node process's
 * thread pool), summed, in ms; undefined once the process is gone.
 */
export function threadsCpuMs(pid: number, comm: string): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let total = 0;
  for (const task of tasks) {
    try {
      if (readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim() !== comm) continue;
    } catch {
      continue; // ended meanwhile
    }
    total += statCpuMs(`/proc/${pid}/task/${task}/stat`) ?? 0;
  }
  return total;
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

/**
 * CPU ms spent between `startCpuSpan()` and calling what it returns, per named source: each
 * source's processes (its pid list is read once, at the start; a process gone by the end counts
 * for nothing), each of `options.counters` (a reading in ms, e.g. some threads of a process:
 * mainThreadCpuMs, threadsCpuMs), `postgres` (the given backends, when given) and `machine`
 * (busy time of all cores).
 */
export function startCpuSpan(
  sources: Readonly<Record<string, () => readonly number[]>>,
  options: {
    readonly postgres?: PostgresBackendsCpu;
    readonly counters?: Readonly<Record<string, () => number | undefined>>;
  } = {},
): () => Record<string, number> {
  const pids = Object.entries(sources).map(([name, list]) => [name, list()] as const);
  const counters = Object.entries(options.counters ?? {});
  const sample = () => ({
    processes: new Map(pids.flatMap(([, list]) => list).map((pid) => [pid, processCpuMs(pid)])),
    counters: new Map(counters.map(([name, read]) => [name, read()])),
  });
  const difference = (start: number | undefined, end: number | undefined) =>
    start === undefined || end === undefined ? 0 : end - start;
  options.postgres?.begin();
  const machineBefore = machineBusyMs();
  const before = sample();
  return () => {
    const after = sample();
    const spent: Record<string, number> = { machine: machineBusyMs() - machineBefore };
    if (options.postgres) spent.postgres = options.postgres.end().cpuMs;
    for (const [name, list] of pids) {
      spent[name] = list.reduce((sum, pid) => sum + difference(before.processes.get(pid), after.processes.get(pid)), 0);
    }
    for (const [name] of counters) spent[name] = difference(before.counters.get(name), after.counters.get(name));
    return spent;
  };
}

/** VmHWM and VmRSS of `pid`, kB; undefined once it has gone. */
export function memoryOf(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { hwm: field('VmHWM'), rss: field('VmRSS') };
  } catch {
    return undefined;
  }
}
