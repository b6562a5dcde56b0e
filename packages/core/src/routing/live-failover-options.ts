import { PatchbayError } from '../errors/patchbay-error.js';
import type { AudioEncoding } from '../spec/audio.js';
import type { LiveTranscriptionRequest } from '../spec/transcriber.js';

/** Most seconds of audio a replay buffer may hold: 10 minutes of 48 kHz stereo PCM is ~110 MB, enough for anyone. */
const maxReplaySeconds = 600;

/**
 * Checks `request.failover` before anything opens: a bad value is `invalid_request` naming its field.
 * Returns the rejection, or undefined when valid.
 */
export function invalidLiveFailover(request: LiveTranscriptionRequest): PatchbayError | undefined {
  const options: unknown = request.failover;
  if (options === undefined) return undefined;
  const reject = (field: string, message: string) =>
    new PatchbayError({ code: 'invalid_request', message, details: { field: `failover.${field}` } });
  if (typeof options !== 'object' || options === null) {
    return new PatchbayError({
      code: 'invalid_request',
      message: 'failover must be an object',
      details: { field: 'failover' },
    });
  }
  const { replaySeconds, silenceTimeoutMs, enabled } = options as Record<string, unknown>;
  if (
    replaySeconds !== undefined &&
    (typeof replaySeconds !== 'number' || !(replaySeconds >= 0 && replaySeconds <= maxReplaySeconds))
  ) {
    return reject('replaySeconds', `failover.replaySeconds must be a number from 0 to ${maxReplaySeconds}`);
  }
  if (
    silenceTimeoutMs !== undefined &&
    (typeof silenceTimeoutMs !== 'number' || !(silenceTimeoutMs >= 0 && silenceTimeoutMs <= 2 ** 31 - 1))
  ) {
    return reject('silenceTimeoutMs', 'failover.silenceTimeoutMs must be a number of milliseconds, 0 or more');
  }
  if (enabled !== undefined && typeof enabled !== 'boolean') {
    return reject('enabled', 'failover.enabled must be a boolean');
  }
  return undefined;
}

/** Bytes per second and per frame of a raw encoding; undefined for compressed ones (not replayable). */
export function rawLayout(request: LiveTranscriptionRequest): { perSecond: number; frame: number } | undefined {
  const width: Partial<Record<AudioEncoding, number>> = { pcm_s16le: 2, mulaw: 1, alaw: 1 };
  const bytes = width[request.encoding];
  if (bytes === undefined || !(request.sampleRate > 0)) return undefined;
  const frame = bytes * (request.channels ?? 1);
  return { perSecond: frame * request.sampleRate, frame };
}
