// Starts a throwaway redis-server on 127.0.0.1 for the test run: an ephemeral free port, no
// persistence (`--save '' --appendonly no`), a temporary working directory removed at stop.
// Fault tests start a private one with the same function and stop/restart it mid-run.
// Returns { url, port, stop, restart }.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const binary = 'redis-server';

/** A port the kernel just handed out (and released), so two parallel runs never collide on a fixed one. */
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

/** Resolves once the server answers PING, rejects when it exited or did not come up in time. */
function waitUntilReady(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) {
        reject(new Error(`redis-server exited with code ${child.exitCode} before it was ready`));
        return;
      }
      const socket = createConnection({ host: '127.0.0.1', port });
      let answer = '';
      socket.setTimeout(500);
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
        if (answer.includes('PONG')) {
          socket.destroy();
          resolve();
        }
      });
      const retry = () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server on port ${port} not ready within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      };
      socket.on('error', retry);
      socket.on('timeout', retry);
    };
    attempt();
  });
}

function launch(port, directory) {
  const child = spawn(
    binary,
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', directory],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return child;
}

function kill(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startRedis(options = {}) {
  const port = options.port ?? (await freePort());
  const directory = mkdtempSync(join(tmpdir(), 'patchbay-redis-'));
  let child = launch(port, directory);
  await waitUntilReady(port, child, options.readyTimeoutMs ?? 10_000);
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    /** Kills the server; the port and directory stay reserved for `restart`. */
    async kill() {
      await kill(child);
    },
    /** Freezes the server (SIGSTOP): connections stay open and commands hang, as with a stuck server. */
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
    /** Starts the server again on the same port (empty: nothing was persisted). */
    async restart() {
      await kill(child);
      child = launch(port, directory);
      await waitUntilReady(port, child, options.readyTimeoutMs ?? 10_000);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGCONT');
      await kill(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
