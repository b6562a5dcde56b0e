// Packs every published workspace package with `pnpm pack` (which rewrites `workspace:` ranges to versions),
// exactly as `pnpm publish` would upload them. Shared by the release check and the consumer fixture.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** The published packages: every packages/<name> whose manifest is not private. */
export function publishedPackages() {
  return readdirSync(join(root, 'packages'))
    .sort()
    .map((folder) => {
      const directory = join(root, 'packages', folder);
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
      return { folder, directory, manifest };
    })
    .filter(({ manifest }) => !manifest.private);
}

/**
 * Packs each package into `destination`; returns `[{ folder, name, tarball }]`. The packages must be built.
 * @param {string} destination
 */
export function packPackages(destination) {
  return publishedPackages().map(({ folder, directory, manifest }) => {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: directory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarball = output
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .reverse()
      .find((line) => line.endsWith('.tgz'));
    if (!tarball) throw new Error(`pnpm pack printed no tarball for ${manifest.name}:\n${output}`);
    return { folder, name: manifest.name, tarball: tarball.startsWith('/') ? tarball : join(destination, tarball) };
  });
}

/**
 * The file list and the packed manifest of a tarball (`tar` is on every CI image and developer machine).
 * @param {string} tarball
 */
export function readTarball(tarball) {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '' && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''));
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const license = execFileSync('tar', ['-xzOf', tarball, 'package/LICENSE'], { encoding: 'utf8' });
  return { files, manifest, license };
}
