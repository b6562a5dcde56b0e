import { countOption, durationOption } from '@patchbay/core/errors';
import type { DualChannelStateStore, SentWhatsAppMessage } from '@patchbay/messaging';
import { InMemoryDualChannelState } from '@patchbay/messaging';
import { BoundedMap } from '../bounded-map.js';
import type { RedisConnection } from '../redis-connection.js';

// Gives a claim back only when this instance holds it: one another instance took stays.
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisDualChannelStateOptions {
  /** How long a sent message (and its fallback claim) is remembered. Default 7 days. */
  ttlMs?: number | undefined;
  /** Messages kept locally for the outage fallback. Default 10,000. */
  maxLocalMessages?: number | undefined;
}

/**
 * The dual-channel messenger's memory in Redis, so a WhatsApp-failure webhook that reaches
 * another instance than the sender still finds the message, and the SMS fallback is claimed once
 * cluster-wide (`SET … NX PX`). Every message is also kept locally; while Redis is unreachable
 * the local copy answers and claims are local (so during an outage two instances receiving the
 * same webhook could both fall back — documented). Messages remembered and claims taken during an
 * outage are written to Redis when it returns (without overwriting what is there). A claim given
 * back is deleted only when this instance holds it (compare-and-delete), one given back before
 * Redis saw it is not written at all, and one Redis holds but could not be asked to delete (an
 * outage) is deleted when Redis returns, so a redelivered webhook can still fall back.
 */
export class RedisDualChannelState implements DualChannelStateStore {
  readonly #connection: RedisConnection;
  readonly #ttlMs: number;
  readonly #local: InMemoryDualChannelState;
  /** What Redis has not seen yet: messages remembered, claims taken and claims given back while it was unreachable. */
  readonly #unsynced: BoundedMap<string, Unsynced>;
  /** Claims `#sync` is writing back right now: a release waits for the write, then deletes what it wrote. */
  readonly #writing = new Map<string, Promise<void>>();

  constructor(connection: RedisConnection, options: RedisDualChannelStateOptions = {}) {
    this.#connection = connection;
    this.#ttlMs = durationOption(options.ttlMs, 7 * 24 * 60 * 60 * 1_000, 'ttlMs', true);
    const maxLocalMessages = countOption(options.maxLocalMessages, 10_000, 'maxLocalMessages');
    this.#local = new InMemoryDualChannelState({ maxMessages: maxLocalMessages });
    this.#unsynced = new BoundedMap(maxLocalMessages);
    connection.onRecovered(() => {
      void this.#sync();
    });
  }

  #keep(messageId: string, change: { record?: SentWhatsAppMessage; claimed?: boolean; released?: boolean }): void {
    const entry = this.#unsynced.get(messageId) ?? { claimed: false, released: false };
    if (change.record) entry.record = change.record;
    // Claimed again after a release Redis has not seen: the claim Redis holds is this instance's again.
    if (change.claimed) [entry.claimed, entry.released] = [true, false];
    if (change.released) entry.released = true;
    this.#unsynced.set(messageId, entry);
  }

  /** After an outage: NX writes, so a record or claim another instance made meanwhile wins. */
  async #sync(): Promise<void> {
    for (const [messageId, entry] of [...this.#unsynced.entries()]) {
      if (this.#unsynced.get(messageId) !== entry) continue;
      try {
        if (entry.record) {
          await this.#connection.command([
            'SET',
            this.#key('message', messageId),
            JSON.stringify(entry.record),
            'NX',
            'PX',
            String(this.#ttlMs),
          ]);
        }
        // Read again after the write above: a release meanwhile took the claim out (then it is not written).
        if (entry.claimed) await this.#writeClaim(messageId);
        else if (entry.released) await this.#deleteClaim(messageId);
        if (this.#unsynced.get(messageId) === entry) this.#unsynced.delete(messageId);
      } catch {
        return;
      }
    }
  }

  /**
   * Writes back a claim taken during the outage. Marked before the command goes out (nothing is
   * awaited between the check in `#sync` and the send), so a release from then on waits for this
   * write and deletes the claim after it landed, instead of deleting first and seeing it land after.
   */
  async #writeClaim(messageId: string): Promise<void> {
    let written!: () => void;
    const marker = new Promise<void>((resolve) => {
      written = resolve;
    });
    this.#writing.set(messageId, marker);
    try {
      await this.#connection.command(this.#claimCommand(messageId));
    } finally {
      if (this.#writing.get(messageId) === marker) this.#writing.delete(messageId);
      written();
    }
  }

  /** Takes the claim unless someone holds it (`NX`), for as long as the message is remembered. */
  #claimCommand(messageId: string): string[] {
    return ['SET', this.#key('claim', messageId), this.#connection.instanceId, 'NX', 'PX', String(this.#ttlMs)];
  }

  #deleteClaim(messageId: string): Promise<unknown> {
    return this.#connection.script(releaseScript, [this.#key('claim', messageId)], [this.#connection.instanceId]);
  }

  #key(kind: 'message' | 'claim', messageId: string): string {
    return `${this.#connection.prefix}dual:${kind}:${messageId}`;
  }

  async remember(record: SentWhatsAppMessage): Promise<void> {
    this.#local.remember(record);
    if (this.#connection.unavailable) {
      this.#keep(record.messageId, { record });
      return;
    }
    try {
      await this.#connection.command([
        'SET',
        this.#key('message', record.messageId),
        JSON.stringify(record),
        'PX',
        String(this.#ttlMs),
      ]);
    } catch {
      // Kept locally (this instance can still fall back for it) and written when Redis returns.
      this.#keep(record.messageId, { record });
    }
  }

  async get(messageId: string): Promise<SentWhatsAppMessage | undefined> {
    if (!this.#connection.unavailable) {
      try {
        const raw = await this.#connection.command<string | null>(['GET', this.#key('message', messageId)]);
        if (raw !== null) return revive(raw);
      } catch {
        // Falls through to the local copy.
      }
    }
    return this.#local.get(messageId);
  }

  async claimFallback(messageId: string): Promise<boolean> {
    if (!this.#connection.unavailable) {
      try {
        const answer = await this.#connection.command<string | null>(this.#claimCommand(messageId));
        const granted = answer === 'OK';
        // Mirrored so a claim made here still holds here during a later outage.
        if (granted) this.#local.claimFallback(messageId);
        return granted;
      } catch {
        // Unreachable: decide locally.
      }
    }
    const granted = this.#local.claimFallback(messageId);
    if (granted) this.#keep(messageId, { claimed: true });
    return granted;
  }

  async releaseFallback(messageId: string): Promise<void> {
    this.#local.releaseFallback(messageId);
    // A claim taken during an outage and not written back yet is not written at all (its message still is).
    const unsynced = this.#unsynced.get(messageId);
    if (unsynced) {
      unsynced.claimed = false;
      if (!unsynced.record && !unsynced.released) this.#unsynced.delete(messageId);
    }
    try {
      if (this.#connection.unavailable) throw new Error('known outage');
      // The write-back of this claim is on its way: deleted once it landed, not before.
      await this.#writing.get(messageId);
      await this.#deleteClaim(messageId);
    } catch {
      // Redis may hold this instance's claim (taken before the outage): deleted when Redis returns, so a
      // redelivered webhook can still fall back. Compare-and-delete there too: another instance's claim stays.
      this.#keep(messageId, { released: true });
    }
  }
}

/** A message's changes Redis has not seen yet. */
interface Unsynced {
  record?: SentWhatsAppMessage;
  /** Claimed here during an outage: written back (`NX`). */
  claimed: boolean;
  /** Given back while Redis could not be asked: its claim, if this instance's, is deleted when Redis returns. */
  released: boolean;
}

function revive(raw: string): SentWhatsAppMessage | undefined {
  try {
    const parsed = JSON.parse(raw) as SentWhatsAppMessage & { sentAt: string };
    return { ...parsed, sentAt: new Date(parsed.sentAt) };
  } catch {
    return undefined;
  }
}
