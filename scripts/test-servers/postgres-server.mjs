// Starts a throwaway PostgreSQL on 127.0.0.1 for the test run: a fresh cluster in a temporary
// directory, an ephemeral port, trust authentication and fsync off (the data is thrown away).
// Returns { url, stop } or undefined when no PostgreSQL is installed. `stop` ends the server and
// removes the directory.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The newest installed server's bin directory, e.g. /usr/lib/postgresql/15/bin. */
export function postgresBinDirectory() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** PostgreSQL refuses to run as root: as root, run its binaries as the `postgres` OS user. */
function asServerUser(command, args) {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function serverUser() {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid, env: { ...process.env, HOME: '/var/lib/postgresql' } };
}

/** @param {{ database?: string }} [options] */
export async function startPostgres(options = {}) {
  const bin = postgresBinDirectory();
  if (!bin) return undefined;
  const directory = mkdtempSync(join(tmpdir(), 'patchbay-postgres-'));
  const data = join(directory, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', directory]);
  chmodSync(directory, 0o700);
  const [initCommand, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  execFileSync(initCommand, initArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await freePort();
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      directory,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      // The server itself runs under the user directly (not through runuser), so its pid is the
      // postmaster's and a stop signal reaches it instead of a wrapper that does not forward it.
      ...serverUser(),
    },
  );
  let log = '';
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let ready = false;
  for (let attempt = 0; attempt < 300 && child.exitCode === null; attempt++) {
    if (/ready to accept connections/.test(log) && (await accepts(port))) {
      ready = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const stop = async () => {
    if (child.exitCode === null) {
      // SIGINT is PostgreSQL's "fast shutdown": no waiting for clients to disconnect.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(directory, { recursive: true, force: true });
  };
  if (!ready) {
    await stop();
    throw new Error(`PostgreSQL did not start: ${log}`);
  }
  const database = options.database ?? 'postgres';
  return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, stop };
}
