import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

const run = promisify(execFile);

/** Where the programs are kept between runs (delete it to fetch them again). */
export const debianToolCache = path.join(repoRoot, 'node_modules', '.cache', 'debian-tools');

const output = (error: unknown): string => {
  const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message?: string };
  return `${stderr ?? ''}${stdout ?? ''}`.trim() || (message ?? String(error));
};

/** `apt-get download <pkg>` into `dir`; `apt-get update` first if the lists do not know the package yet. */
async function download(pkg: string, dir: string): Promise<void> {
  // As root apt would drop to the _apt user, which cannot write into our temporary directory.
  const get = () => run('apt-get', ['-q', '-o', 'APT::Sandbox::User=root', 'download', pkg], { cwd: dir });
  try {
    await get();
    return;
  } catch (first) {
    for (let attempt = 1; ; attempt++) {
      try {
        await run('apt-get', ['-qq', 'update'], { timeout: 300_000 });
        break;
      } catch (error) {
        // Another process holds the lists' lock (an update of its own): wait and try again.
        if (attempt < 4 && /lock/i.test(output(error))) {
          await new Promise((resolve) => setTimeout(resolve, 5_000));
          continue;
        }
        throw new Error(
          `apt-get download ${pkg} failed (${output(first)}), and so did apt-get update (${output(error)}): ` +
            "it needs root and Debian's package archive",
        );
      }
    }
    await get().catch((error: unknown) => {
      throw new Error(`apt-get download ${pkg} failed after apt-get update: ${output(error)}`);
    });
  }
}

/**
 * `program` (from /usr/bin) of Debian's package `pkg`, without installing the package (its
 * maintainer scripts could start a daemon): `apt-get download` fetches the .deb, `dpkg-deb -x`
 * unpacks it aside and only the program is kept, in node_modules/.cache/debian-tools/<pkg>/. Later
 * calls answer at once. Throws, saying why, when the program cannot be had.
 */
export async function debianTool(pkg: string, program: string): Promise<string> {
  const target = path.join(debianToolCache, pkg, program);
  if (existsSync(target)) return target;
  const work = mkdtempSync(path.join(tmpdir(), `radiata-${pkg}-`));
  try {
    await download(pkg, work);
    const deb = readdirSync(work).find((file) => file.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${work}`);
    await run('dpkg-deb', ['-x', path.join(work, deb), path.join(work, 'root')]);
    const extracted = path.join(work, 'root', 'usr', 'bin', program);
    if (!existsSync(extracted)) throw new Error(`${deb} has no /usr/bin/${program}`);
    mkdirSync(path.dirname(target), { recursive: true });
    // Test files running at once may each fetch it: each renames a whole copy into place.
    const staged = `${target}.${process.pid}`;
    copyFileSync(extracted, staged);
    chmodSync(staged, 0o755);
    renameSync(staged, target);
    return target;
  } catch (error) {
    throw new Error(`could not get ${program} from Debian's ${pkg} package: ${(error as Error).message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
