import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sdks = ['openai', '@elevenlabs/elevenlabs-js', '@deepgram/sdk'];
const root = import.meta.dirname;

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.includes('test-cases')
      ? [path]
      : [];
  });
}

describe('vendor SDKs are optional peers', () => {
  it('no module imports an SDK at top level except for types (import() on first use instead)', () => {
    const offenders: string[] = [];
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      for (const sdk of sdks) {
        const escaped = sdk.replace(/[/.]/g, '\\$&');
        const valueImport = new RegExp(`^import\\s+(?!type\\b)[^;]*from\\s+'${escaped}'`, 'm');
        if (valueImport.test(text) || new RegExp(`require\\('${escaped}'\\)`).test(text)) {
          offenders.push(`${file.slice(root.length + 1)} → ${sdk}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('each adapter loads its SDK lazily, once', () => {
    for (const [file, sdk] of [
      ['elevenlabs/elevenlabs-speech-synthesizer.ts', '@elevenlabs/elevenlabs-js'],
      ['openai/openai-speech-synthesizer.ts', 'openai'],
      ['deepgram/deepgram-speech-synthesizer.ts', '@deepgram/sdk'],
    ] as const) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text).toContain(`sdk ??= import('${sdk}')`);
    }
  });

  it('the package entry point loads no SDK and exposes the shared helpers', async () => {
    const entry = await import('./index.js');
    expect(Object.keys(entry).sort()).toEqual(
      [
        'SpeechSynthesizerAdapter',
        'audioDurationSeconds',
        'audioFormatSchema',
        'collectAudio',
        'describeFormat',
        'formatCapabilities',
        'openAudioStream',
        'resolveFormat',
        'wavDataOffset',
      ].sort(),
    );
  });
});
