/**
 * What every messaging vendor simulator keeps: the messages it accepted and the
 * vendor failures a test scripted for the next sends.
 */
export class MessagingSimulatorState<Message, FailureCode> {
  readonly messages: Message[] = [];
  readonly #scripted: FailureCode[] = [];

  /** Makes the next `times` sends (default 1) fail with `code`. */
  failNext(code: FailureCode, times = 1): void {
    for (let index = 0; index < times; index++) this.#scripted.push(code);
  }

  /** The failure scripted for this send, if any (consumed). */
  nextFailure(): FailureCode | undefined {
    return this.#scripted.shift();
  }

  clear(): void {
    this.messages.length = 0;
    this.#scripted.length = 0;
  }
}

/**
 * Posts a vendor's callback (status report, inbound message) to the app's
 * endpoint, as the vendor would; returns the app's answer.
 */
export async function postCallback(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: await response.text() };
}
