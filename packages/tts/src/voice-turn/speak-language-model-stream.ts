import type {
  AudioFormat,
  CallWarning,
  LanguageModel,
  LanguageModelRequest,
  SpeechSynthesizer,
  SpeechTextStreamOptions,
} from '@patchbay/core';
import { PatchbayError, releaseOnEarlyReturn } from '@patchbay/core/adapter';

/** What a voice turn needs of a speech synthesizer: `streamText` (every adapter and route has it). */
export type TextStreamingSynthesizer = Pick<SpeechSynthesizer, 'id'> & Required<Pick<SpeechSynthesizer, 'streamText'>>;

export interface SpeakLanguageModelStreamOptions {
  /** A language model or a route (`patchbay.llm`): only its `stream()` is used. */
  llm: Pick<LanguageModel, 'stream'>;
  /** A speech synthesizer or a route (`patchbay.tts`). */
  tts: TextStreamingSynthesizer;
  /** The model request of this turn. */
  request: LanguageModelRequest;
  /** Voice, format, speed… of the speech (the call options come from this object's own fields). */
  speech?: Omit<SpeechTextStreamOptions, 'signal' | 'tenant' | 'correlationId'> | undefined;
  /** Barge-in: aborting it stops the model and the speech at once. */
  signal?: AbortSignal | undefined;
  tenant?: string | undefined;
  correlationId?: string | undefined;
}

/** How a turn ended. */
export interface VoiceTurnOutcome {
  /** `completed`: everything the model said was spoken; `interrupted`: barge-in or the listener stopped early. */
  outcome: 'completed' | 'interrupted' | 'failed';
  /** The text the model produced (spoken or not). */
  text: string;
  /** Characters the speech vendor was sent and produced audio for (what was metered). */
  characters: number;
  error?: PatchbayError | unknown;
}

export interface VoiceTurn {
  /** The agent's audio, from the first chunk on (ready when the turn resolves). Read it once. */
  audio: AsyncIterable<Uint8Array>;
  format: AudioFormat;
  /** The speech provider that answered (a route member's id when `tts` is a route). */
  speechProvider: string;
  /** The language model provider that answered. */
  modelProvider: string;
  warnings: CallWarning[];
  /** The model's text so far. */
  readonly text: string;
  /** Barge-in from code: stops the model and the speech, like aborting the signal. */
  interrupt(): void;
  /** Settles (never rejects) once the turn has ended and everything it opened is released. */
  finished: Promise<VoiceTurnOutcome>;
}

function interruption(): Error {
  const error = new Error('The voice turn was interrupted');
  error.name = 'AbortError';
  return error;
}

/**
 * One turn of a voice agent: the model's text deltas (`llm.stream()`) flow into `tts.streamText()` as they
 * arrive, so the agent starts speaking after the model's first sentence. Resolves once the first audio chunk
 * is ready. Barge-in — the caller's signal, `interrupt()`, or the listener stopping to read `audio` — aborts the
 * model stream and the speech together; nothing the turn opened (socket, timer, listener) is left behind.
 * Tool calls and usage parts of the model stream are ignored: a turn speaks text.
 */
export async function speakLanguageModelStream(options: SpeakLanguageModelStreamOptions): Promise<VoiceTurn> {
  const { llm, tts, request, speech, signal, tenant, correlationId } = options;
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason ?? interruption());
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    signal?.removeEventListener('abort', forward);
  };
  const callOptions = { signal: controller.signal, tenant, correlationId };
  let text = '';
  let resolveFinished: (outcome: VoiceTurnOutcome) => void = () => {};
  const finished = new Promise<VoiceTurnOutcome>((resolve) => {
    resolveFinished = resolve;
  });

  let model: Awaited<ReturnType<LanguageModel['stream']>>;
  let spoken: Awaited<ReturnType<TextStreamingSynthesizer['streamText']>>;
  try {
    model = await llm.stream(request, callOptions);
    const parts = model.stream;
    async function* deltas(): AsyncGenerator<string> {
      for await (const part of parts) {
        if (part.type !== 'text-delta' || part.delta.length === 0) continue;
        text += part.delta;
        yield part.delta;
      }
    }
    spoken = await tts.streamText(deltas(), { ...speech, ...callOptions });
  } catch (error) {
    // Whatever opened is closed by the abort (the model stream, a speech attempt under way).
    controller.abort(interruption());
    release();
    throw error;
  }

  const end = (outcome: VoiceTurnOutcome['outcome'], error?: unknown) => {
    if (outcome !== 'completed' && !controller.signal.aborted) controller.abort(interruption());
    release();
    resolveFinished({ outcome, text, characters: spoken.characters, ...(error === undefined ? {} : { error }) });
  };
  const stream = spoken.stream;
  let started = false;
  // Interrupted before anyone read the audio: release the speech stream now (its generator never ran).
  controller.signal.addEventListener(
    'abort',
    () => {
      if (started) return;
      started = true;
      // Reading once runs the stream's cleanup (a generator closed before it started would skip it).
      void (async () => {
        try {
          for await (const _chunk of stream) break;
        } catch {
          // The abort itself: nothing to report.
        }
      })();
      end('interrupted');
    },
    { once: true },
  );
  async function* audio(): AsyncGenerator<Uint8Array> {
    if (started) return;
    started = true;
    let outcome: VoiceTurnOutcome['outcome'] = 'interrupted';
    let failure: unknown;
    try {
      for await (const chunk of stream) yield chunk;
      outcome = 'completed';
    } catch (error) {
      const aborted = controller.signal.aborted || (PatchbayError.isInstance(error) && error.code === 'aborted');
      outcome = aborted ? 'interrupted' : 'failed';
      failure = error;
      if (!aborted) throw error;
    } finally {
      end(outcome, outcome === 'failed' ? failure : undefined);
    }
  }
  return {
    // A listener that ends `audio` before reading it barges in too (the generator's body would not run).
    audio: releaseOnEarlyReturn(audio(), () => controller.abort(interruption())),
    format: spoken.format,
    speechProvider: spoken.provider,
    modelProvider: model.provider,
    warnings: [...model.warnings, ...spoken.warnings],
    get text() {
      return text;
    },
    interrupt: () => controller.abort(interruption()),
    finished,
  };
}
