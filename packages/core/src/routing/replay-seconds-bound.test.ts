import { describe, expect, it } from 'vitest';
import type { LiveTranscriptionRequest } from '../spec/transcriber.js';
import { invalidLiveFailover } from './live-failover-options.js';

// stt/README.md: the replay buffer is bounded to `replaySeconds` (default 30, at most 600).
describe('failover.replaySeconds is at most 600', () => {
  const request = (replaySeconds: number): LiveTranscriptionRequest => ({
    encoding: 'pcm_s16le',
    sampleRate: 8000,
    failover: { replaySeconds },
  });

  it.each([0, 30, 600])('accepts %d', (seconds) => {
    expect(invalidLiveFailover(request(seconds))).toBeUndefined();
  });

  it.each([600.001, 601, 3600, Number.POSITIVE_INFINITY])(
    'refuses %d as invalid_request naming failover.replaySeconds',
    (seconds) => {
      const error = invalidLiveFailover(request(seconds));
      expect(error).toMatchObject({ code: 'invalid_request', details: { field: 'failover.replaySeconds' } });
      expect(error?.message).toContain('600');
    },
  );
});
