import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDeepgramSimulator, type DeepgramSimulator, silentWav, simulatedDuration } from './index.js';

let simulator: DeepgramSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

function connect(url: string, key = 'test-key'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { authorization: `Token ${key}` } });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('Deepgram simulator', () => {
  it('derives durations from WAV headers and declared raw encodings', () => {
    expect(simulatedDuration(silentWav(1.5))).toBe(1.5);
    expect(simulatedDuration(new Uint8Array(16_000), { encoding: 'linear16', sampleRate: 8000 })).toBe(1);
    expect(simulatedDuration(new Uint8Array(8000), { encoding: 'mulaw', sampleRate: 8000 })).toBe(1);
  });

  it('answers a live session with results, Metadata on CloseStream and a normal close', async () => {
    simulator = await createDeepgramSimulator({ transcript: 'one two' }).start();
    const socket = await connect(`${simulator.wsURL}/v1/listen?encoding=linear16&sample_rate=8000`);
    const messages: { type: string; is_final?: boolean; duration?: number }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(new Uint8Array(8000 * 2 * 1.5));
    socket.send(JSON.stringify({ type: 'CloseStream' }));
    expect(await closed).toBe(1000);
    expect(messages.map((message) => [message.type, message.is_final])).toEqual([
      ['Results', true],
      ['Results', true],
      ['Metadata', undefined],
    ]);
    expect(messages.at(-1)?.duration).toBe(1.5);
    expect(simulator.liveSessions[0]).toMatchObject({
      bytesReceived: 24_000,
      resultsSent: 2,
      closeStreamReceived: true,
    });
  });

  it('refuses bad keys and unknown paths at the upgrade, and close() ends open sessions', async () => {
    simulator = await createDeepgramSimulator().start();
    await expect(connect(`${simulator.wsURL}/v1/listen`, 'wrong')).rejects.toThrow(/401/);
    await expect(connect(`${simulator.wsURL}/v2/nothing`)).rejects.toThrow(/404/);
    const socket = await connect(`${simulator.wsURL}/v1/listen`);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await simulator.close();
    simulator = undefined;
    expect(await closed).toBe(1006);
  });
});
