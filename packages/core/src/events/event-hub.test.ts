import { describe, expect, it } from 'vitest';
import { EventHub } from './event-hub.js';

describe('EventHub.changes', () => {
  it('counts each real subscription and unsubscription, not a repeated one', () => {
    const hub = new EventHub<{ ping: number }>();
    const listener = () => {};
    expect(hub.changes).toBe(0);
    const stop = hub.on('ping', listener);
    expect(hub.changes).toBe(1);
    // The same listener again is no new subscription (a Set holds it once).
    const stopAgain = hub.on('ping', listener);
    expect(hub.changes).toBe(1);
    stop();
    expect(hub.changes).toBe(2);
    expect(hub.has('ping')).toBe(false);
    stopAgain();
    expect(hub.changes).toBe(2);
  });
});

describe('EventHub.watch', () => {
  it('answers like has(), following every subscription and unsubscription', () => {
    const hub = new EventHub<{ ping: number; pong: number }>();
    const watch = hub.watch('ping');
    expect(watch.active).toBe(false);
    const stop = hub.on('ping', () => {});
    expect(watch.active).toBe(true);
    hub.on('pong', () => {});
    expect(watch.active).toBe(true);
    stop();
    expect(watch.active).toBe(false);
  });
});
