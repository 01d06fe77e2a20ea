/**
 * `npm start`: serves the app (Vite dev server) on the built-in sample city and prints the URL.
 * Set PORT to change the port; the shared benchmark folder is served read-only when present.
 */
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm start

Serves the app (Vite dev server on 127.0.0.1, port $PORT or 5173) on the sample city Riverton
and prints the URL; Ctrl+C stops it. Takes no flags.
  --help, -h   this text`;
try {
  if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true }).values.help) {
    console.log(USAGE);
    process.exit(0);
  }
} catch (e) {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  process.exit(2);
}
const { createServer } = await import('vite');

const port = Number(process.env.PORT ?? 5173);
const server = await createServer({ server: { port, host: '127.0.0.1' } });
await server.listen();
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
console.log(`\nToPT Studio is running at ${url}  (opens on the sample city Riverton; Ctrl+C stops it)\n`);
