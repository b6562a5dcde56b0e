import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpeechSynthesizer } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { createDeepgramSpeechSynthesizer } from '../deepgram/index.js';
import { createElevenLabsSpeechSynthesizer } from '../elevenlabs/index.js';
import { untimedFetcher } from './fern-fetcher.js';

/** A port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('Fern SDK requests carry no SDK timer', () => {
  it('finds the fetcher of both Fern-generated SDKs', () => {
    expect(untimedFetcher('@elevenlabs/elevenlabs-js')).toBeTypeOf('function');
    expect(untimedFetcher('@deepgram/sdk')).toBeTypeOf('function');
    expect(untimedFetcher('no-such-sdk-package')).toBeUndefined();
  });

  it.each([
    ['elevenlabs', (url: string) => createElevenLabsSpeechSynthesizer({ apiKey: 'k', baseURL: url, env: {} })],
    ['deepgram', (url: string) => createDeepgramSpeechSynthesizer({ apiKey: 'k', baseURL: url, env: {} })],
  ] as const)('%s: a refused connection leaves no timer running', async (_vendor, create) => {
    const provider: SpeechSynthesizer = create(`http://127.0.0.1:${await closedPort()}`);
    // Load the SDK first, so its own module-level timers (if any) are not counted.
    await provider.synthesize({ text: 'warm up' }).catch(() => {});
    const before = timers();
    const error = await provider.synthesize({ text: 'hello' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'connection', retryable: true });
    // With the SDK's default fetcher a 60–240 s timer would still be pending here.
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
