/**
 * A webhook receiver on 127.0.0.1 (node:http, a random free port) that checks every delivery with
 * the `standardwebhooks` library (an independent implementation of the spec) and answers as the
 * test says: 2xx, an error status, a hang past the sender's timeout, or a connection reset.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  id: string;
  type: string;
  timestamp: string;
  data: unknown;
  /** Whether standardwebhooks accepted the signature (and the timestamp). */
  verified: boolean;
  verifyError: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  answered: string;
}

/** How to answer one request: a status (with headers), a hang (never answer), or a reset of the connection. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang' | 'reset';

export class Receiver {
  readonly deliveries: Delivery[] = [];
  readonly #server: Server;
  readonly #webhook: Webhook;
  readonly #sockets = new Set<Socket>();
  #answer: (delivery: Omit<Delivery, 'answered'>) => Answer = () => ({ status: 204 });
  #waiters: (() => void)[] = [];
  port = 0;

  constructor(secret: string) {
    this.#webhook = new Webhook(secret);
    this.#server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => this.#handle(body, request.headers, response));
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** Listens on 127.0.0.1 (a free port, or `port` again after a restart). */
  async listen(port = this.port): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Decides every answer from now on. */
  answer(decide: (delivery: Omit<Delivery, 'answered'>) => Answer): void {
    this.#answer = decide;
  }

  /** Waits until `test` holds (checked after every delivery), at most `ms`. */
  until(test: (deliveries: Delivery[]) => boolean, ms = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out; deliveries: ${this.deliveries.map((item) => `${item.type}/${item.answered}`).join(', ') || 'none'}`)),
        ms,
      );
      const check = () => {
        if (test(this.deliveries)) {
          clearTimeout(timer);
          resolve();
        } else this.#waiters.push(check);
      };
      check();
    });
  }

  /** Stops listening and drops every connection (a hanging one too). */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The distinct event ids answered with a 2xx. */
  acknowledged(): string[] {
    return this.deliveries.filter((item) => /^2/.test(item.answered)).map((item) => item.id);
  }

  #handle(body: string, headers: IncomingHttpHeaders, response: ServerResponse): void {
    let verified = false;
    let verifyError: string | undefined;
    try {
      this.#webhook.verify(body, headers as Record<string, string>);
      verified = true;
    } catch (error) {
      verifyError = error instanceof Error ? error.message : String(error);
    }
    let parsed: { type?: string; timestamp?: string; data?: unknown } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      // Recorded as it came.
    }
    const delivery = {
      id: String(headers['webhook-id'] ?? ''),
      type: String(parsed.type ?? ''),
      timestamp: String(parsed.timestamp ?? ''),
      data: parsed.data,
      verified,
      verifyError,
      headers,
      body,
    };
    const answer = this.#answer(delivery);
    const answered = answer === 'hang' || answer === 'reset' ? answer : String(answer.status);
    this.deliveries.push({ ...delivery, answered });
    if (answer === 'reset') response.socket?.destroy();
    else if (answer !== 'hang') {
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      response.end(answer.body ?? (answer.status < 300 ? 'ok\n' : 'no\n'));
    }
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** A fresh Standard Webhooks secret: whsec_ + 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64')}`;
}
