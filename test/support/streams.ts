/** Map streams held open by tests (limits, expiry, revocation). */
export interface OpenStream {
  status: number;
  body: unknown;
  /** Resolves with the text received once the server ends the stream. */
  ended: Promise<string>;
  close(): void;
}

/** Opens GET /map/stream and keeps reading in the background. */
export async function openStream(base: string, token: string): Promise<OpenStream> {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/v1/map/stream?access_token=${encodeURIComponent(token)}`, { signal: controller.signal });
  if (res.status !== 200) return { status: res.status, body: await res.json(), ended: Promise.resolve(''), close: () => undefined };
  const ended = (async () => {
    let text = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    } catch {
      /* aborted by close() */
    }
    return text;
  })();
  return { status: 200, body: null, ended, close: () => controller.abort() };
}
