import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { converseEvent, encodeEventStreamMessage } from './bedrock-event-stream.js';

describe('AWS event stream encoding', () => {
  it('writes the prelude, CRCs, string headers and payload', () => {
    const message = encodeEventStreamMessage({ ':event-type': 'messageStart' }, Buffer.from('{}'));
    const headersLength = 1 + 11 + 1 + 2 + 12;
    expect(message.readUInt32BE(0)).toBe(message.length);
    expect(message.length).toBe(12 + headersLength + 2 + 4);
    expect(message.readUInt32BE(4)).toBe(headersLength);
    expect(message.readUInt32BE(8)).toBe(crc32(message.subarray(0, 8)));
    expect(message.readUInt8(12)).toBe(11);
    expect(message.subarray(13, 24).toString()).toBe(':event-type');
    expect(message.readUInt8(24)).toBe(7);
    expect(message.readUInt16BE(25)).toBe(12);
    expect(message.subarray(27, 39).toString()).toBe('messageStart');
    expect(message.subarray(39, 41).toString()).toBe('{}');
    expect(message.readUInt32BE(message.length - 4)).toBe(crc32(message.subarray(0, message.length - 4)));
  });

  it('carries the JSON body of a Converse event', () => {
    const message = converseEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hé' } });
    const headersLength = message.readUInt32BE(4);
    const payload = message.subarray(12 + headersLength, message.length - 4).toString('utf8');
    expect(JSON.parse(payload)).toEqual({ contentBlockIndex: 0, delta: { text: 'Hé' } });
  });
});
