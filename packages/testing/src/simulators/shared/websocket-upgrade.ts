import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers a websocket upgrade with an HTTP error and closes the socket, as a vendor refuses a key or a rate limit. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

/**
 * Leaves an upgrade unanswered (the `hang` fault), kept in `pending` until the client goes. What comes is read and
 * dropped, so the client's hang-up is seen and the socket released.
 */
export function holdUpgrade(socket: Duplex, pending: Set<Duplex>): void {
  pending.add(socket);
  socket.on('close', () => pending.delete(socket));
  socket.on('end', () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.resume();
}

/** The upgrade faults every websocket simulator shares. */
export interface UpgradeFault {
  type: string;
  status?: number | undefined;
  retryAfterSeconds?: number | undefined;
}

/**
 * Applies a `status` fault (refused with that status, and `Retry-After` when given) or a `hang` fault to an
 * upgrade. True when the fault answered it: the simulator stops there.
 */
export function answerUpgradeFault<F extends UpgradeFault>(
  socket: Duplex,
  fault: F | undefined,
  pending: Set<Duplex>,
  errorBody: (status: number, message: string) => unknown,
): fault is Extract<F, { type: 'status' | 'hang' }> {
  if (fault?.type === 'status' && fault.status !== undefined) {
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
    refuseUpgrade(socket, fault.status, errorBody(fault.status, `simulated ${fault.status}`), headers);
    return true;
  }
  if (fault?.type === 'hang') {
    holdUpgrade(socket, pending);
    return true;
  }
  return false;
}
