import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DashError, type AuthIO, type BackendContext } from 'dash-core';
import { exchangeCode } from './oauth.js';
import { redirectUri, tokenFilePath, type UpworkOptions } from './options.js';
import { TokenFile } from './token-store.js';

/** How long `dash-cli auth` waits for the browser. */
const WAIT_MS = 10 * 60_000;

interface Callback {
  code: string;
  state: string | null;
}

/** Reads code/state (or an OAuth error) from a redirect URL or a bare code. */
export function parseRedirect(input: string): Callback {
  const text = input.trim();
  if (!/[?&]/.test(text) && /^[\w.~-]+$/.test(text)) return { code: text, state: null };
  let url: URL;
  try {
    url = new URL(text, 'http://127.0.0.1/');
  } catch {
    throw new DashError('AUTH_FAILED', 'that is not the address Upwork redirected to');
  }
  const error = url.searchParams.get('error');
  if (error) {
    const description = url.searchParams.get('error_description');
    throw new DashError('AUTH_FAILED', `Upwork did not grant access (${error}${description ? `: ${description}` : ''})`);
  }
  const code = url.searchParams.get('code');
  if (!code) throw new DashError('AUTH_FAILED', 'the redirect address has no ?code=…; copy the whole address from the browser');
  return { code, state: url.searchParams.get('state') };
}

function page(title: string, body: string): string {
  return `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${body}</p></body>`;
}

/** A loopback server for the redirect; resolves with the server, or undefined when the port is taken. */
function listen(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Upwork's OAuth2 authorization-code flow, run by `dash-cli auth <id>`: prints the authorize
 * URL, takes the code from the loopback redirect (or a pasted redirect address), exchanges it
 * and stores the tokens in the token file (mode 0600).
 */
export async function signIn(options: UpworkOptions, context: BackendContext, io: AuthIO): Promise<void> {
  const configured = options.redirect_uri ? new URL(options.redirect_uri) : undefined;
  const loopback = !configured || ['127.0.0.1', 'localhost', '[::1]'].includes(configured.hostname);
  const port = configured ? Number(configured.port || (configured.protocol === 'https:' ? 443 : 80)) : options.redirect_port;
  const server = loopback ? await listen(port) : undefined;
  const boundPort = server ? (server.address() as { port: number }).port : port;
  const redirect = redirectUri(options, boundPort);
  const callbackPath = new URL(redirect).pathname;
  const state = randomBytes(16).toString('hex');
  const authorize = new URL(options.authorize_url);
  authorize.searchParams.set('response_type', 'code');
  authorize.searchParams.set('client_id', options.client_id);
  authorize.searchParams.set('redirect_uri', redirect);
  authorize.searchParams.set('state', state);

  const file = new TokenFile(tokenFilePath(options, context));
  const client = { tokenUrl: options.token_url, clientId: options.client_id, clientSecret: options.client_secret };
  const finish = async (callback: Callback): Promise<void> => {
    if (callback.state !== null && callback.state !== state) {
      throw new DashError('AUTH_FAILED', 'the redirect does not belong to this sign-in (state mismatch); run dash-cli auth again');
    }
    const tokens = await exchangeCode(client, callback.code, redirect, context.now(), context.id, io.signal);
    context.secret(tokens.access_token);
    context.secret(tokens.refresh_token);
    await file.write(tokens);
  };

  io.print(`Sign in to Upwork for backend "${context.id}": open this address in a browser and allow access:`);
  io.print('');
  io.print(`  ${authorize.toString()}`);
  io.print('');
  io.print(`(The API key's callback URL must be exactly ${redirect}; set redirect_uri or redirect_port otherwise.)`);
  if (server) io.print(`Waiting for Upwork to redirect to ${redirect} …`);
  else if (loopback) io.print(`Port ${port} on 127.0.0.1 is in use, so the redirect cannot be caught here.`);
  if (!server && !io.prompt) {
    throw new DashError('AUTH_FAILED', `cannot listen on 127.0.0.1:${port} and there is no terminal to paste the redirect address into`, {
      hint: 'free the port or set redirect_port, then run dash-cli auth again',
    });
  }

  const done = new AbortController();
  const stop = AbortSignal.any([done.signal, io.signal]);
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => settle(new DashError('AUTH_FAILED', 'no answer from the browser within 10 minutes')), WAIT_MS);
      timer.unref();
      stop.addEventListener('abort', () => {
        clearTimeout(timer);
        settle(new DashError('INTERRUPTED', 'sign-in cancelled'));
      }, { once: true });

      server?.on('request', (request: IncomingMessage, response: ServerResponse) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        if (url.pathname !== callbackPath) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        let callback: Callback;
        try {
          callback = parseRedirect(url.toString());
        } catch (error) {
          response
            .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
            .end(page('Sign-in failed', (error as Error).message), () => settle(error));
          return;
        }
        finish(callback).then(
          () => {
            response
              .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
              .end(page('Signed in to Upwork', 'Dash has its tokens. You can close this tab.'), () => settle());
          },
          (error: unknown) => {
            response
              .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
              .end(page('Sign-in failed', 'See the terminal for details.'), () => settle(error));
          },
        );
      });

      if (io.prompt) {
        void io.prompt('…or paste the address the browser was redirected to: ').then(
          (answer) => {
            if (settled || answer === undefined || answer.trim() === '') return;
            let callback: Callback;
            try {
              callback = parseRedirect(answer);
            } catch (error) {
              settle(error);
              return;
            }
            finish(callback).then(() => settle(), settle);
          },
          () => {},
        );
      }
    });
  } finally {
    done.abort();
    server?.closeAllConnections?.();
    server?.close();
  }
  io.print(`Signed in. Tokens saved to ${file.path} (readable only by you); they refresh themselves from now on.`);
}
