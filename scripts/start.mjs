/**
 * `npm start`: serves the app (Vite dev server) on the built-in sample city and prints the URL.
 * Set PORT to change the port; the shared benchmark folder is served read-only when present.
 */
import { createServer } from 'vite';

const port = Number(process.env.PORT ?? 5173);
const server = await createServer({ server: { port, host: '127.0.0.1' } });
await server.listen();
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
console.log(`\nToPT Studio is running at ${url}  (opens on the sample city Riverton; Ctrl+C stops it)\n`);
