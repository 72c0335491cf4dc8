import Fastify from 'fastify';

/**
 * The benchmark's baseline: bare Fastify parsing the same JSON body and answering the same 202,
 * with no auth, validation or queue. Run as its own process, like the product.
 */
const app = Fastify({ bodyLimit: 1024 * 1024 });
app.post('/api/v1/telemetry', async (req, reply) => {
  const body = req.body as { points?: unknown[] };
  const n = Array.isArray(body?.points) ? body.points.length : 1;
  return reply.status(202).send({ accepted: n, duplicates: 0, rejected: [] });
});
const port = Number(process.env.PORT ?? 0);
app.listen({ port, host: '127.0.0.1' }).then((address) => process.stdout.write(`listening ${address}\n`));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
