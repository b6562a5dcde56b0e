import { toPatchbayError } from '../errors/normalize-error.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import type {
  LiveTranscriptionEvent,
  LiveTranscriptionFailover,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  TranscriptionWord,
} from '../spec/transcriber.js';
import type { UsageOutcome } from '../spec/usage.js';
import { rawLayout } from './live-failover-options.js';
import { OutboundEvents } from './live-outbound-events.js';
import { ReplayBuffer } from './live-replay-buffer.js';

/** One member's session, as the router opened it, with the one call that meters it when it ends. */
export interface LiveMemberSession {
  /** The member's id in the route. */
  member: string;
  session: LiveTranscriptionSession;
  /** Meters the member's session once: audio seconds it was actually sent (replay included), and how it ended. */
  settle(outcome: UsageOutcome, replayedSeconds: number): void;
}

export interface RoutedLiveTranscriptionInit {
  request: LiveTranscriptionRequest;
  /**
   * Opens a session on the first eligible member not in `excluded`, through the router (breaker, retries, meter).
   * `signal` ends the opening when the session is closed meanwhile.
   */
  open(excluded: ReadonlySet<string>, signal: AbortSignal | undefined): Promise<LiveMemberSession>;
  /** Counts a session lost after it opened against the member's breaker. */
  lost(member: string, error: PatchbayError): void;
  /** Told of every completed failover (the router's `failover` event). */
  switched(failover: LiveTranscriptionFailover): void;
  signal: AbortSignal | undefined;
}

const defaultReplaySeconds = 30;
const defaultSilenceTimeoutMs = 10_000;
/** Finals that end within this many seconds of the last delivered one are the same final seen again. */
const sameEnd = 1e-6;

type State = 'open' | 'finishing' | 'done';

/** The member session in use, with what this session knows about it. */
interface Current extends LiveMemberSession {
  /** Session seconds where the member's own time 0 lies. */
  offset: number;
  /** Seconds of audio it was sent that an earlier member had already been sent. */
  replayedSeconds: number;
  /** Set once the member is lost or done: later news from it is ignored. */
  over: boolean;
  /** The session's byte count when the member was lost: everything before it had been sent to the member. */
  lostAt?: number | undefined;
}

/**
 * A live session over a route that survives the loss of its member. The caller's audio goes to the current member
 * and, for raw encodings, into a bounded replay buffer trimmed at each final transcript. When the member is lost
 * (its events fail: reset, abnormal close; or it stays silent past `silenceTimeoutMs` while audio flows), the
 * session opens the next eligible member through the router, replays the buffer, shifts the new member's times
 * onto the session's timeline, emits a `failover` event and carries on. The caller's session and `events` stay
 * the same object throughout.
 *
 * Finals: a final is delivered once; the buffer is cut at the end of the last final, so a new member starts where
 * the finals stopped, and a final that ends no later than the last delivered one is dropped. Interim results for
 * the replayed audio may be produced again by the new member (each is still replaced by the next final).
 */
export class RoutedLiveTranscription implements LiveTranscriptionSession {
  readonly #init: RoutedLiveTranscriptionInit;
  readonly #events = new OutboundEvents();
  readonly #layout: { perSecond: number; frame: number } | undefined;
  readonly #buffer: ReplayBuffer | undefined;
  readonly #silenceTimeoutMs: number;
  readonly #failover: boolean;
  readonly #excluded = new Set<string>();
  readonly #done: Promise<void>;
  #resolveDone!: () => void;
  #rejectDone!: (error: unknown) => void;
  #current: Current;
  /** A failover under way: audio goes only to the buffer until it settles. */
  #switching: Promise<void> | undefined;
  /** Ends the opening of the next member when the session closes during a failover. */
  #switchAbort: AbortController | undefined;
  #state: State = 'open';
  #failure: PatchbayError | undefined;
  /** Bytes the caller sent (raw encodings), the session's timeline. */
  #sentBytes = 0;
  /** Session seconds at which the last delivered final ended. */
  #lastFinalEnd = 0;
  #silenceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(init: RoutedLiveTranscriptionInit, first: LiveMemberSession) {
    this.#init = init;
    const options = init.request.failover ?? {};
    this.#layout = rawLayout(init.request);
    this.#failover = options.enabled !== false && this.#layout !== undefined;
    if (this.#failover && this.#layout) {
      const seconds = options.replaySeconds ?? defaultReplaySeconds;
      this.#buffer = new ReplayBuffer(Math.max(0, Math.floor(seconds * this.#layout.perSecond)), this.#layout.frame);
    }
    this.#silenceTimeoutMs = this.#failover ? (options.silenceTimeoutMs ?? defaultSilenceTimeoutMs) : 0;
    this.#done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // finish() may never be called: its rejection must not go unhandled.
    this.#done.catch(() => {});
    this.#current = { ...first, offset: 0, replayedSeconds: 0, over: false };
    init.signal?.addEventListener('abort', this.#onAbort, { once: true });
    void this.#pump(this.#current);
  }

  get provider(): string {
    return this.#current.session.provider;
  }

  get vendor(): string {
    return this.#current.session.vendor;
  }

  get model(): string {
    return this.#current.session.model;
  }

  get events(): AsyncIterable<LiveTranscriptionEvent> {
    return this.#events;
  }

  /** Seconds of audio the caller sent (each second once, however many members heard it). */
  get audioSeconds(): number {
    if (this.#layout) return this.#sentBytes / this.#layout.perSecond;
    return this.#current.session.audioSeconds;
  }

  send(chunk: Uint8Array): void {
    if (this.#failure) throw this.#failure;
    if (this.#state !== 'open') {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'Audio sent after finish() or close()',
        provider: this.provider,
        vendor: this.vendor,
      });
    }
    this.#sentBytes += chunk.byteLength;
    this.#buffer?.append(chunk);
    if (this.#switching) return;
    const current = this.#current;
    try {
      current.session.send(chunk);
    } catch (error) {
      this.#lose(current, sendFailure(current, error));
      return;
    }
    this.#armWatchdog();
  }

  finish(): Promise<void> {
    if (this.#state === 'open') {
      this.#state = 'finishing';
      if (!this.#switching) this.#finishMember(this.#current);
    }
    return this.#done;
  }

  close(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#release();
    this.#closeMember(this.#current, 'aborted');
    this.#events.end();
    this.#resolveDone();
  }

  #finishMember(current: Current): void {
    // The outcome arrives through the member's events (they end, or fail); finish() only asks for it.
    this.#armWatchdog();
    current.session.finish().catch(() => {});
  }

  async #pump(current: Current): Promise<void> {
    try {
      for await (const event of current.session.events) {
        if (current.over) return;
        this.#heard();
        this.#deliver(current, event);
      }
      if (current.over) return;
      if (this.#state === 'finishing') {
        current.over = true;
        current.settle('success', current.replayedSeconds);
        this.#complete();
        return;
      }
      // Events ended while the caller still sends audio: the member hung up on us.
      this.#lose(
        current,
        new PatchbayError({
          code: 'stream_cut',
          message: `Provider "${current.member}" ended the live session early`,
          provider: current.member,
          vendor: current.session.vendor,
        }),
      );
    } catch (error) {
      if (!current.over) this.#lose(current, error);
    }
  }

  #deliver(current: Current, event: LiveTranscriptionEvent): void {
    const offset = current.offset;
    switch (event.type) {
      case 'transcript': {
        const start = event.start + offset;
        const end = start + event.duration;
        if (event.isFinal) {
          if (end <= this.#lastFinalEnd + sameEnd) return;
          this.#lastFinalEnd = end;
          if (this.#buffer && this.#layout) this.#buffer.dropBefore(Math.round(end * this.#layout.perSecond));
        }
        this.#events.push(
          offset === 0 ? event : { ...event, start, words: event.words.map((word) => shiftWord(word, offset)) },
        );
        return;
      }
      case 'speech-started':
        this.#events.push(offset === 0 ? event : { ...event, timestamp: event.timestamp + offset });
        return;
      case 'utterance-end':
        this.#events.push(offset === 0 ? event : { ...event, lastWordEnd: event.lastWordEnd + offset });
        return;
      default:
        this.#events.push(event);
    }
  }

  /** The current member lost (events failed, send threw, or silence): fail over, or end the session. */
  #lose(current: Current, caught: unknown): void {
    if (current.over || this.#state === 'done') return;
    current.over = true;
    current.lostAt = this.#sentBytes;
    this.#stopWatchdog();
    const error = toPatchbayError(caught, {
      provider: current.member,
      vendor: current.session.vendor,
      signal: this.#init.signal,
    });
    const aborted = error.code === 'aborted' || this.#init.signal?.aborted === true;
    current.settle(aborted ? 'aborted' : 'stream_cut', current.replayedSeconds);
    try {
      current.session.close();
    } catch {
      // Already broken: closing is best effort.
    }
    if (aborted || !this.#failover || error.code === 'invalid_request') {
      this.#fail(error);
      return;
    }
    this.#init.lost(current.member, error);
    this.#excluded.add(current.member);
    // A marker until #switchFrom settles the switch (it clears it itself once the new member is in place).
    const switching = this.#switchFrom(current, error).catch((caught: unknown) =>
      // Not expected (#switchFrom handles its failures): whatever it is ends the session, never unhandled.
      this.#fail(toPatchbayError(caught, { signal: this.#init.signal })),
    );
    if (this.#current === current) this.#switching = switching;
  }

  async #switchFrom(lost: Current, error: PatchbayError): Promise<void> {
    let next: LiveMemberSession;
    const controller = new AbortController();
    this.#switchAbort = controller;
    const callerSignal = this.#init.signal;
    try {
      next = await this.#init.open(
        this.#excluded,
        callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal,
      );
    } catch (caught) {
      const cause = toPatchbayError(caught, { signal: this.#init.signal });
      this.#fail(
        cause.code === 'aborted'
          ? cause
          : new PatchbayError({
              code: 'stream_cut',
              message: `Live session lost provider "${lost.member}" (${error.code}) and no other provider could take over`,
              provider: lost.member,
              vendor: lost.session.vendor,
              cause,
            }),
      );
      return;
    }
    if (this.#switchAbort === controller) this.#switchAbort = undefined;
    if (this.#state === 'done') {
      // Closed (or aborted) while the next member was opening: it must not stay open.
      next.session.close();
      next.settle('aborted', 0);
      return;
    }
    const buffer = this.#buffer as ReplayBuffer;
    const perSecond = (this.#layout as { perSecond: number }).perSecond;
    const covered = Math.round(this.#lastFinalEnd * perSecond);
    const secondsLost = Math.max(0, buffer.start - covered) / perSecond;
    // Audio past what the lost member was sent arrived during the switch: sent now, but not a replay.
    const previouslySent = Math.min(buffer.end, lost.lostAt ?? buffer.end);
    const secondsReplayed = Math.max(0, previouslySent - buffer.start) / perSecond;
    const at = buffer.start / perSecond;
    // Audio that no member will transcribe counts as settled: later finals are measured from the replay's start.
    this.#lastFinalEnd = Math.max(this.#lastFinalEnd, at);
    const current: Current = { ...next, offset: at, replayedSeconds: secondsReplayed, over: false };
    this.#current = current;
    // From here on the caller's audio goes to the new member; cleared now, not a microtask later, so no send in
    // between lands in the buffer only.
    this.#switching = undefined;
    const failover: LiveTranscriptionFailover = {
      type: 'failover',
      from: lost.member,
      to: next.member,
      errorCode: error.code,
      at,
      secondsReplayed,
      secondsLost,
    };
    this.#events.push(failover);
    this.#init.switched(failover);
    void this.#pump(current);
    try {
      for (const chunk of buffer.chunks()) current.session.send(chunk);
    } catch (caught) {
      this.#lose(current, sendFailure(current, caught));
      return;
    }
    if (buffer.length > 0) this.#armWatchdog();
    if (this.#state === 'finishing') this.#finishMember(current);
  }

  /** The member said something: it is alive, and the silence count starts again with the next audio. */
  #heard(): void {
    if (this.#silenceTimer === undefined) return;
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = undefined;
  }

  /**
   * Audio went out (or finish() asked for the last results): the member must say something within the silence
   * timeout. One timer, armed by the first audio after the member last spoke and cleared when it speaks.
   */
  #armWatchdog(): void {
    if (this.#silenceTimeoutMs <= 0 || this.#state === 'done' || this.#silenceTimer !== undefined) return;
    this.#silenceTimer = setTimeout(this.#checkSilence, this.#silenceTimeoutMs);
  }

  readonly #checkSilence = (): void => {
    this.#silenceTimer = undefined;
    if (this.#switching || this.#state === 'done') return;
    const current = this.#current;
    this.#lose(
      current,
      new PatchbayError({
        code: 'timeout',
        message: `Provider "${current.member}" sent nothing for ${this.#silenceTimeoutMs} ms of live audio`,
        provider: current.member,
        vendor: current.session.vendor,
      }),
    );
  };

  #stopWatchdog(): void {
    if (this.#silenceTimer !== undefined) clearTimeout(this.#silenceTimer);
    this.#silenceTimer = undefined;
  }

  readonly #onAbort = (): void => {
    this.#fail(toPatchbayError(this.#init.signal?.reason, { signal: this.#init.signal }));
  };

  #closeMember(current: Current, outcome: UsageOutcome): void {
    if (current.over) return;
    current.over = true;
    current.settle(outcome, current.replayedSeconds);
    current.session.close();
  }

  #complete(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#release();
    this.#events.end();
    this.#resolveDone();
  }

  #fail(error: PatchbayError): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#failure = error;
    this.#release();
    this.#closeMember(this.#current, error.code === 'aborted' ? 'aborted' : 'stream_cut');
    this.#events.end(error);
    this.#rejectDone(error);
  }

  #release(): void {
    this.#stopWatchdog();
    this.#switchAbort?.abort(new PatchbayError({ code: 'aborted', message: 'Live session closed during a failover' }));
    this.#switchAbort = undefined;
    this.#buffer?.clear();
    this.#init.signal?.removeEventListener('abort', this.#onAbort);
  }
}

/** A member's `send` threw: its connection is gone (an SDK's "socket is not open"), whatever the error says. */
function sendFailure(current: LiveMemberSession, error: unknown): PatchbayError {
  if (PatchbayError.isInstance(error)) return error;
  return new PatchbayError({
    code: 'stream_cut',
    message: `Provider "${current.member}" could not take more live audio`,
    provider: current.member,
    vendor: current.session.vendor,
    cause: error,
  });
}

function shiftWord(word: TranscriptionWord, offset: number): TranscriptionWord {
  return { ...word, start: word.start + offset, end: word.end + offset };
}
