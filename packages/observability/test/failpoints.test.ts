import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const failpoints = fileURLToPath(new URL('../src/failpoints.ts', import.meta.url));

/** Runs a node process that passes failpoint `a` three times, printing before each pass. */
function passThreeTimes(armed: string | undefined) {
  const script = `
    const { failpoint } = await import(${JSON.stringify(failpoints)});
    for (const pass of [1, 2, 3]) { console.log('pass ' + pass); failpoint('a'); }
    console.log('done');`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, ...(armed === undefined ? {} : { RADIATA_FAILPOINTS: armed }) },
    encoding: 'utf8',
  });
  return { lines: result.stdout.trim().split('\n'), signal: result.signal, stderr: result.stderr };
}

it('kills the process with SIGKILL the n-th time an armed failpoint is passed, and never when unarmed', () => {
  expect(passThreeTimes(undefined)).toEqual(
    expect.objectContaining({ lines: ['pass 1', 'pass 2', 'pass 3', 'done'], signal: null }),
  );
  expect(passThreeTimes('b, a@2')).toEqual(expect.objectContaining({ lines: ['pass 1', 'pass 2'], signal: 'SIGKILL' }));
  expect(passThreeTimes('a')).toEqual(expect.objectContaining({ lines: ['pass 1'], signal: 'SIGKILL' }));
  const refused = passThreeTimes('a@0');
  expect(refused.signal).toBeNull();
  expect(refused.stderr).toContain('RADIATA_FAILPOINTS: bad count in "a@0"');
});
