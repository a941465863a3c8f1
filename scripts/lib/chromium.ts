// The browser of the storefront's browser tests (`npm run test:web`): Debian's Chromium, driven by
// playwright-core, which downloads no browser of its own. CHROMIUM_PATH names another binary.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const output = (error: unknown): string => {
  const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message?: string };
  return `${stderr ?? ''}${stdout ?? ''}`.trim() || (message ?? String(error));
};

/**
 * The Chromium binary to drive, with its version: CHROMIUM_PATH, else /usr/bin/chromium, which is
 * installed with apt-get (Debian's `chromium` package; through `sudo -n` when not root, as
 * .ci/run installs docker-compose) if it is missing. Throws, saying what to do, when there is none.
 */
export async function ensureChromium(log: (line: string) => void): Promise<{ path: string; version: string }> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return { path: configured, version: await versionOf(configured) };
  }
  if (!existsSync(DEFAULT_CHROMIUM)) {
    log(`${DEFAULT_CHROMIUM} is missing: installing Debian's chromium package (apt-get)…`);
    await aptInstall('chromium');
    if (!existsSync(DEFAULT_CHROMIUM))
      throw new Error(`apt-get installed chromium, but ${DEFAULT_CHROMIUM} is missing`);
  }
  return { path: DEFAULT_CHROMIUM, version: await versionOf(DEFAULT_CHROMIUM) };
}

async function versionOf(binary: string): Promise<string> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 30_000 });
    return stdout.trim();
  } catch (error) {
    throw new Error(`${binary} --version failed: ${output(error)}`);
  }
}

async function aptInstall(pkg: string): Promise<void> {
  const root = process.getuid?.() === 0;
  const hint =
    `install it (Debian/Ubuntu: \`sudo apt-get install chromium\`), or set CHROMIUM_PATH to a Chromium or Chrome ` +
    'binary: playwright-core downloads no browser';
  if (!existsSync('/usr/bin/apt-get')) throw new Error(`no Chromium at ${DEFAULT_CHROMIUM} and no apt-get: ${hint}`);
  const apt = (args: string[]) =>
    run(root ? 'apt-get' : 'sudo', [...(root ? [] : ['-n', 'apt-get']), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 600_000,
    });
  try {
    await apt(['update', '-qq']);
    await apt(['install', '-y', '-qq', '--no-install-recommends', pkg]);
  } catch (error) {
    throw new Error(
      `no Chromium at ${DEFAULT_CHROMIUM}, and \`${root ? '' : 'sudo -n '}apt-get install ${pkg}\` failed ` +
        `(${output(error).split('\n').slice(-3).join(' ')}): ${hint}`,
    );
  }
}
