/**
 * Failpoints: named instants where a process can be made to die by SIGKILL, for the crash tests
 * (the technique of FoundationDB's and TiKV's fail points). `RADIATA_FAILPOINTS=name[@n],…` kills
 * the process the n-th time (default: the first) it passes `failpoint(name)`: a real kill -9
 * at the exact dangerous instant (after an effect committed, before its reply or ack), which a
 * test killing from outside could only hit by luck. Unset, as in production, a call is one
 * lookup in an empty map.
 */
const armed = new Map<string, number>();
for (const entry of (process.env.RADIATA_FAILPOINTS ?? '').split(',')) {
  const [name, count] = entry.trim().split('@');
  if (!name) continue;
  const hits = count === undefined ? 1 : Number(count);
  if (!Number.isInteger(hits) || hits < 1) throw new Error(`RADIATA_FAILPOINTS: bad count in "${entry}"`);
  armed.set(name, hits);
}

/** Dies here (SIGKILL, nothing flushed, nothing in flight committed) when the failpoint is armed and due. */
export function failpoint(name: string): void {
  const left = armed.get(name);
  if (left === undefined) return;
  if (left > 1) {
    armed.set(name, left - 1);
    return;
  }
  process.kill(process.pid, 'SIGKILL');
}
