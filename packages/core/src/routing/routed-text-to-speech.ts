import { releaseOnEarlyReturn } from '../adapter/release-on-early-return.js';
import { AllProvidersFailedError, PatchbayError } from '../errors/patchbay-error.js';
import type { CallOptions } from '../spec/provider.js';
import type {
  SpeechRequest,
  SpeechStreamResult,
  SpeechSynthesizer,
  SpeechTextStreamOptions,
  SpeechTextStreamResult,
} from '../spec/speech-synthesizer.js';
import type { IdentifierPlan } from './route-aliases.js';
import type { ResolvedRoute, RouteExecutor } from './route-executor.js';

/**
 * Text a route keeps while no member has produced audio yet, to replay to the next member (UTF-16 code units).
 * Vendors answer with audio after a sentence or two, so this is only reached by a source that produces a lot of
 * text while every vendor stays silent; past it the route no longer fails over (the text read so far is gone).
 */
export const textReplayLimit = 10_000;

/** What the routed `streamText` needs from its routed provider. */
export interface RoutedTextStreamContext {
  route: ResolvedRoute<SpeechSynthesizer>;
  executor: RouteExecutor;
  plan: IdentifierPlan;
  /** The request as one member must receive it (aliased voice and model resolved). */
  requestFor(request: SpeechRequest, member: SpeechSynthesizer): SpeechRequest;
  eligible(member: SpeechSynthesizer, format: SpeechRequest['format']): boolean;
  ineligible(format: SpeechRequest['format']): PatchbayError;
  model(
    result: SpeechStreamResult | undefined,
    member: SpeechSynthesizer,
    requested: string | undefined,
  ): string | undefined;
  /** The call options with the route's pinned ones applied. */
  options: CallOptions;
}

/**
 * The caller's text, readable again by each member tried before one produces audio: every piece read is kept
 * (up to `limit` characters) and replayed, in order, to the next reader. Once a member's audio has started
 * (`commit`) nothing more is kept. Only the committed reader's end closes the caller's iterable.
 */
class ReplayableText {
  readonly #iterator: AsyncIterator<string>;
  readonly #limit: number;
  readonly #onFailure: (error: unknown) => void;
  // Pieces read from the caller, from absolute index `#base` on.
  #kept: string[] = [];
  #base = 0;
  #keptCharacters = 0;
  #keeping = true;
  #overflowed = false;
  #ended = false;
  #closed = false;
  #pending: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;
  #readers = 0;

  constructor(source: AsyncIterable<string>, limit: number, onFailure: (error: unknown) => void) {
    this.#iterator = source[Symbol.asyncIterator]();
    this.#limit = limit;
    this.#onFailure = onFailure;
  }

  /** False once more text was read before the first audio than can be replayed. */
  get replayable(): boolean {
    return !this.#overflowed;
  }

  get failure(): { error: unknown } | undefined {
    return this.#failure;
  }

  /** The text from its first piece, for one member; a reader made earlier stops. */
  reader(): AsyncIterable<string> {
    const id = ++this.#readers;
    let index = 0;
    const next = async (): Promise<IteratorResult<string>> => {
      while (true) {
        if (id !== this.#readers || this.#closed) return { done: true, value: undefined };
        if (index < this.#base) throw new PatchbayError({ code: 'unavailable', message: 'Text no longer replayable' });
        if (index < this.#base + this.#kept.length) {
          const value = this.#kept[index - this.#base] as string;
          index++;
          // Nothing will be replayed any more: drop what this reader has read.
          if (!this.#keeping) this.#drop(index);
          return { done: false, value };
        }
        if (this.#failure) throw this.#failure.error;
        if (this.#ended) return { done: true, value: undefined };
        this.#pending ??= this.#readOne().finally(() => {
          this.#pending = undefined;
        });
        await this.#pending;
      }
    };
    return {
      [Symbol.asyncIterator]: () => ({
        next,
        return: async () => {
          if (id === this.#readers && !this.#keeping) await this.close();
          return { done: true, value: undefined };
        },
      }),
    };
  }

  /** The current reader's member produced audio: stop keeping text for another member. */
  commit(): void {
    this.#keeping = false;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#kept = [];
    if (!this.#ended && !this.#failure) await this.#iterator.return?.()?.catch?.(() => {});
  }

  #drop(upTo: number): void {
    const count = upTo - this.#base;
    if (count <= 0) return;
    this.#kept.splice(0, count);
    this.#base = upTo;
  }

  async #readOne(): Promise<void> {
    let result: IteratorResult<string>;
    try {
      result = await this.#iterator.next();
    } catch (error) {
      this.#failure = { error };
      this.#onFailure(error);
      return;
    }
    if (result.done) {
      this.#ended = true;
      return;
    }
    this.#kept.push(result.value);
    if (!this.#keeping) return;
    this.#keptCharacters += typeof result.value === 'string' ? result.value.length : 0;
    if (this.#keptCharacters > this.#limit) {
      // Past the bound nothing is replayed: the current reader reads on, and the kept text is let go as it goes.
      this.#overflowed = true;
      this.#keeping = false;
    }
  }
}

/**
 * `streamText` over a route. Before the first audio byte it fails over like `stream()`, replaying the text
 * read so far to the next member (bounded by `textReplayLimit`); after it a failure is a `stream_cut`.
 * Usage is metered in characters the serving member had received when its last audio arrived; members that
 * failed before any audio are metered with 0 characters.
 */
export async function routedStreamText(
  context: RoutedTextStreamContext,
  text: AsyncIterable<string>,
  options: SpeechTextStreamOptions = {},
): Promise<SpeechTextStreamResult> {
  const { signal: callerSignal, tenant, correlationId, ...fields } = options;
  const request: SpeechRequest = { ...fields, text: 'streamed text' };
  if (text === null || typeof (text as Partial<AsyncIterable<string>>)?.[Symbol.asyncIterator] !== 'function') {
    throw new PatchbayError({
      code: 'invalid_request',
      message: 'streamText needs an async iterable of text',
      details: { field: 'text', issues: [{ path: 'text', message: 'must be an async iterable of strings' }] },
    });
  }
  // One signal for the whole call: the caller's, or ours when the caller's text fails or cannot be replayed.
  const controller = new AbortController();
  const forward = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) forward();
  else callerSignal?.addEventListener('abort', forward, { once: true });
  const release = () => callerSignal?.removeEventListener('abort', forward);
  let stopReason: 'source' | 'replay' | undefined;
  const replay = new ReplayableText(text, textReplayLimit, () => {
    stopReason = 'source';
    controller.abort(new Error('The text stream failed'));
  });
  let current: SpeechTextStreamResult | undefined;
  let lastError: PatchbayError | undefined;
  let attempts = 0;
  const { options: pinned, route, executor, plan } = context;
  let routed: SpeechStreamResult;
  try {
    routed = await executor.stream<SpeechSynthesizer, SpeechStreamResult, Uint8Array>(
      route,
      {
        invoke: async (member, attemptOptions) => {
          if (attempts++ > 0 && !replay.replayable) {
            stopReason = 'replay';
            controller.abort(new Error('Text read before the first audio exceeds the replay limit'));
            throw controller.signal.reason;
          }
          const streamText = member.streamText as NonNullable<SpeechSynthesizer['streamText']>;
          const { text: _placeholder, ...memberFields } = context.requestFor(request, member);
          try {
            const result = await streamText.call(member, replay.reader(), { ...memberFields, ...attemptOptions });
            // The member's first audio is ready: from here a failure is a cut, never a replay.
            replay.commit();
            current = result;
            return result;
          } catch (error) {
            if (PatchbayError.isInstance(error)) lastError = error;
            throw error;
          }
        },
        usage: () => [{ unit: 'characters', quantity: 0 }],
        observe: (_chunk, tally) => {
          tally.set('characters', current?.characters ?? 0);
        },
        failureUnits: ['characters'],
        model: (result, member) => context.model(result, member, request.model),
        eligible: (member) => typeof member.streamText === 'function' && context.eligible(member, request.format),
        ineligible: () => context.ineligible(request.format),
        identifiers: plan,
      },
      {
        ...pinned,
        tenant: pinned.tenant ?? tenant,
        correlationId: pinned.correlationId ?? correlationId,
        signal: controller.signal,
      },
    );
  } catch (caught) {
    release();
    await replay.close();
    if (stopReason === 'source' && replay.failure) throw replay.failure.error;
    if (stopReason === 'replay') {
      throw new AllProvidersFailedError({
        route: route.name,
        attempts: [...((caught as AllProvidersFailedError).attempts ?? [])],
        last: lastError,
        reason: `more than ${textReplayLimit} characters were read before any audio, so the text cannot be replayed`,
      });
    }
    throw caught;
  }
  const stream = routed.stream;
  async function* relay(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream) yield chunk;
    } catch (error) {
      if (stopReason === 'source' && replay.failure) throw replay.failure.error;
      throw error;
    } finally {
      release();
      await replay.close();
    }
  }
  return {
    ...routed,
    // Ended before its first `next()`, the relay's `finally` would not run: the route's stream (the member's
    // socket or request, metered as aborted) and the caller's text are closed here.
    stream: releaseOnEarlyReturn(relay(), async () => {
      try {
        await stream[Symbol.asyncIterator]().return?.();
      } finally {
        release();
        await replay.close();
      }
    }),
    get characters() {
      return current?.characters ?? 0;
    },
  };
}
