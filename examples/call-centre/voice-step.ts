import type { LanguageModel } from '@patchbay/core';
import { speakLanguageModelStream, type TextStreamingSynthesizer } from '@patchbay/tts';

/**
 * The phone-line step: the model's reply flows into speech as it is written (`llm.stream` into
 * `tts.streamText`), so the caller hears the first sentence while the model is still on the next one.
 */
export async function speakReplyOnPhoneLine(
  line: { llm: Pick<LanguageModel, 'stream'>; tts: TextStreamingSynthesizer },
  heard: string,
): Promise<{ text: string }> {
  const started = performance.now();
  const turn = await speakLanguageModelStream({
    llm: line.llm,
    tts: line.tts,
    request: {
      messages: [
        { role: 'system', content: 'You are Acme Bank’s phone agent.' },
        { role: 'user', content: heard },
      ],
    },
    speech: { format: { encoding: 'mulaw', sampleRate: 8_000 } },
  });
  const firstAudioMs = performance.now() - started;
  let bytes = 0;
  for await (const chunk of turn.audio) bytes += chunk.byteLength;
  const { text, characters } = await turn.finished;
  console.log(`  LLM: "${text}" (streamed by ${turn.modelProvider})`);
  console.log(
    `  TTS: first audio ${firstAudioMs.toFixed(0)} ms into the reply, ${bytes} bytes of ${turn.format.encoding} ` +
      `${turn.format.sampleRate} Hz for the phone line, ${characters} characters spoken (${turn.speechProvider})`,
  );
  return { text };
}
