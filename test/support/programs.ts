import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

/** Whether a program is on PATH (tests that need one skip with the apt-get line otherwise). */
export function hasProgram(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A loopback port nothing listens on right now (for a program that wants one on its command line). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
