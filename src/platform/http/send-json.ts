import type { ServerResponse } from 'node:http';

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Sends a JSON body (text, or already encoded as UTF-8) with the headers Express's
 * `res.type('application/json; charset=utf-8').send(text)` gives it (Content-Type,
 * Content-Length; no ETag, the app disables Express's), without its per-request parsing and
 * re-formatting of the content type, so a lean route and its controller answer alike.
 * Conditional requests are answered before. Text is encoded once here: written as a string
 * after the head, a ~11 KB search body was measured, flattened and copied again by Node.
 */
export function sendJsonText(res: ServerResponse, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.setHeader('Content-Type', JSON_UTF8);
  res.setHeader('Content-Length', bytes.length);
  // What `end(body)` would do first (Node's implicit header), done here so Node does not
  // measure the body again (it does while the head is not written yet).
  res.writeHead(res.statusCode);
  res.end(bytes);
}
