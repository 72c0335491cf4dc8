// Tiny static server for web/dist (SPA fallback to index.html), bound to 127.0.0.1.
// API calls are not served here: the Playwright scripts stub them with page.route().
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export const DIST = resolve(fileURLToPath(new URL('../dist', import.meta.url)));

export function startStaticServer(root = DIST, port = 0) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      let path = normalize(join(root, decodeURIComponent(url.pathname)));
      if (!path.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      let st = await stat(path).catch(() => null);
      if (!st || st.isDirectory()) {
        if (url.pathname.startsWith('/api/') || extname(url.pathname)) {
          res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"statusCode":404,"error":"Not Found","message":"not found"}');
          return;
        }
        path = join(root, 'index.html'); // SPA fallback
        st = await stat(path);
      }
      const body = await readFile(path);
      const headers = { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Content-Length': body.length };
      headers['Cache-Control'] = path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      res.writeHead(200, headers).end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startStaticServer(DIST, Number(process.env.PORT ?? 5180));
  console.log(`serving ${DIST} at ${url}`);
}
