/**
 * The read path's physical reference: a minimal Node HTTP server answering every request with the same
 * bytes (body and content type) the shop returns for one product. `node bare-server.js <port> <file>`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [port, file] = process.argv.slice(2);
const { body, contentType } = JSON.parse(readFileSync(String(file), 'utf8')) as { body: string; contentType: string };
const bytes = Buffer.from(body);
createServer((_request, response) => {
  response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
  response.end(bytes);
}).listen(Number(port), '127.0.0.1');
