import type { DualChannelStateStore, SentWhatsAppMessage } from '@patchbay/messaging';
import { InMemoryDualChannelState } from '@patchbay/messaging';
import { BoundedMap } from '../bounded-map.js';
import type { RedisConnection } from '../redis-connection.js';

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
 * outage are written to Redis when it returns (without overwriting what is there).
 */
export class RedisDualChannelState implements DualChannelStateStore {
  readonly #connection: RedisConnection;
  readonly #ttlMs: number;
  readonly #local: InMemoryDualChannelState;
  /** What Redis has not seen yet: messages remembered and claims taken while it was unreachable. */
  readonly #unsynced: BoundedMap<string, { record?: SentWhatsAppMessage; claimed: boolean }>;

  constructor(connection: RedisConnection, options: RedisDualChannelStateOptions = {}) {
    this.#connection = connection;
    this.#ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1_000;
    this.#local = new InMemoryDualChannelState({ maxMessages: options.maxLocalMessages });
    this.#unsynced = new BoundedMap(options.maxLocalMessages ?? 10_000);
    connection.onRecovered(() => {
      void this.#sync();
    });
  }

  #keep(messageId: string, change: { record?: SentWhatsAppMessage; claimed?: boolean }): void {
    const entry = this.#unsynced.get(messageId) ?? { claimed: false };
    if (change.record) entry.record = change.record;
    if (change.claimed) entry.claimed = true;
    this.#unsynced.set(messageId, entry);
  }

  /** After an outage: NX writes, so a record or claim another instance made meanwhile wins. */
  async #sync(): Promise<void> {
    for (const [messageId, entry] of [...this.#unsynced.entries()]) {
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
        if (entry.claimed) {
          await this.#connection.command([
            'SET',
            this.#key('claim', messageId),
            this.#connection.instanceId,
            'NX',
            'PX',
            String(this.#ttlMs),
          ]);
        }
        this.#unsynced.delete(messageId);
      } catch {
        return;
      }
    }
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
        const answer = await this.#connection.command<string | null>([
          'SET',
          this.#key('claim', messageId),
          this.#connection.instanceId,
          'NX',
          'PX',
          String(this.#ttlMs),
        ]);
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
    try {
      await this.#connection.command(['DEL', this.#key('claim', messageId)]);
    } catch {
      // The claim stays until it expires: a redelivered webhook then sends no second SMS.
    }
  }
}

function revive(raw: string): SentWhatsAppMessage | undefined {
  try {
    const parsed = JSON.parse(raw) as SentWhatsAppMessage & { sentAt: string };
    return { ...parsed, sentAt: new Date(parsed.sentAt) };
  } catch {
    return undefined;
  }
}
