// Installs Debian packages a test needs when they are missing, so a fresh machine passes
// `./run test`. One apt-get run for every missing package; waits for the dpkg lock.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Binaries that tell whether a package is already there. */
const probes = {
  postgresql: () => existsSync('/usr/lib/postgresql') || existsSync('/usr/local/bin/postgres'),
  'redis-server': () => existsSync('/usr/bin/redis-server'),
  chromium: () => existsSync('/usr/bin/chromium'),
};

let updated = false;

export function ensureDebianPackages(packages) {
  const missing = packages.filter((name) => !(probes[name]?.() ?? false));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `tests need the Debian packages ${missing.join(', ')}; install them (apt-get install ${missing.join(' ')})`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  process.stderr.write(`» installing Debian packages: ${missing.join(', ')}\n`);
  if (!updated) {
    execFileSync('apt-get', [...lock, 'update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    updated = true;
  }
  execFileSync('apt-get', [...lock, 'install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
}
