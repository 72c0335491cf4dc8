// Manual check against a real backend: creates a tenant with an admin (admin@<tenant>.test /
// secret123) and a viewer, registers N drones and flies them through POST /telemetry at 1 Hz.
//   node web/e2e/feed.mjs http://127.0.0.1:3000 <ADMIN_TOKEN> [drones=50] [seconds=600]
const [base = 'http://127.0.0.1:3000', adminToken, n = '50', secs = '600'] = process.argv.slice(2);
if (!adminToken) throw new Error('usage: feed.mjs <baseUrl> <ADMIN_TOKEN> [drones] [seconds]');
const call = async (path, { token, method = 'POST', body } = {}) => {
  const res = await fetch(new URL(`/api/v1/${path}`, base), {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
};
const tag = Date.now().toString(36);
const tenant = await call('tenants', { token: adminToken, body: { name: `Web test ${tag}` } });
const admin = `admin@${tag}.test`;
await call(`tenants/${tenant.id}/users`, { token: adminToken, body: { email: admin, password: 'secret123', role: 'admin' } });
await call(`tenants/${tenant.id}/users`, {
  token: adminToken,
  body: { email: `viewer@${tag}.test`, password: 'secret123', role: 'viewer' },
});
const { accessToken } = await call('auth/login', { body: { email: admin, password: 'secret123' } });
const fleet = [];
for (let i = 0; i < Number(n); i++) {
  const d = await call('drones', {
    token: accessToken,
    body: { name: `Drone ${String(i + 1).padStart(3, '0')}`, serialNumber: `SN-${tag}-${i}`, model: 'Sim X' },
  });
  fleet.push({
    id: d.id,
    key: d.deviceKey,
    lat: 47.3 + Math.random() * 0.3,
    lon: 8.4 + Math.random() * 0.4,
    hdg: Math.random() * 360,
    bat: 100 - i,
  });
}
console.log(
  JSON.stringify({
    tenant: tenant.id,
    admin,
    viewer: `viewer@${tag}.test`,
    password: 'secret123',
    drones: fleet.length,
    firstDroneId: fleet[0]?.id,
  }),
);
const end = Date.now() + Number(secs) * 1000;
while (Date.now() < end) {
  const t0 = Date.now();
  await Promise.all(
    fleet.map((d, i) => {
      if (i % 10 === 9) return null; // every tenth drone stays silent: it goes offline
      d.hdg = (d.hdg + (Math.random() - 0.5) * 30 + 360) % 360;
      d.lat += Math.cos((d.hdg * Math.PI) / 180) * 0.0003;
      d.lon += Math.sin((d.hdg * Math.PI) / 180) * 0.0004;
      d.bat = Math.max(0, d.bat - 0.05);
      const point = {
        timestamp: new Date().toISOString(),
        lat: d.lat,
        lon: d.lon,
        altitude: 120,
        speed: 14,
        heading: Math.floor(d.hdg),
        battery: Math.round(d.bat),
        status: i % 7 === 3 ? 'emergency' : i % 5 === 0 ? 'ground' : 'airborne',
      };
      return call('telemetry', { token: d.key, body: point }).catch((e) => console.error(e.message));
    }),
  );
  await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
}
