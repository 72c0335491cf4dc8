// Stubbed dronetrack API for Playwright (page.route), following ../shared/API.md plus the
// tenant-admin extras (/me, /users) and /app-config.json.

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const fakeJwt = (claims) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.sig`;
const STATUSES = ['airborne', 'airborne', 'airborne', 'ground', 'ground', 'emergency', 'unknown'];

export function makeFleet(n = 240, center = [8.55, 47.37], spread = 1.2, now = Date.now()) {
  const drones = [];
  for (let i = 0; i < n; i++) {
    const lon = center[0] + Math.sin(i * 12.9898) * 0.5 * spread * 2;
    const lat = center[1] + Math.cos(i * 78.233) * 0.5 * spread;
    const battery = (i * 37) % 100;
    const lastSeen = new Date(now - (i % 23 === 0 ? 600_000 : (i % 5) * 1000)).toISOString();
    drones.push({
      id: `d-${String(i).padStart(4, '0')}`,
      name: `${['Falcon', 'Heron', 'Kestrel', 'Osprey', 'Swift'][i % 5]} ${100 + i}`,
      serialNumber: `SN-${(48213 + i * 7).toString(16).toUpperCase()}`,
      model: ['DJI M300', 'Skydio X10', 'Parrot Anafi'][i % 3],
      createdAt: new Date(now - 86400_000 * 30).toISOString(),
      state:
        i % 41 === 7
          ? null
          : {
              timestamp: lastSeen,
              lat,
              lon,
              altitude: 80 + (i % 9) * 15,
              speed: (i % 11) * 1.7,
              heading: i % 13 === 0 ? null : (i * 47) % 360,
              battery,
              status: STATUSES[i % STATUSES.length],
              online: i % 23 !== 0,
              lowBattery: battery < 20,
              lastSeenAt: lastSeen,
            },
    });
  }
  return drones;
}

export const toFeature = (d) => ({
  type: 'Feature',
  id: d.id,
  geometry: { type: 'Point', coordinates: [d.state.lon, d.state.lat] },
  properties: { ...d.state, name: d.name },
});

/**
 * @param {import('playwright-core').Page} page
 * @param {{ drones?: object[], users?: object[], expireAfterRequests?: number, appConfig?: object|null }} opts
 */
export async function installMockApi(page, opts = {}) {
  const state = {
    drones: opts.drones ?? makeFleet(),
    users: opts.users ?? [
      { id: 'u-1', email: 'admin@example.com', role: 'admin', tenantId: 't-1' },
      { id: 'u-2', email: 'viewer@example.com', role: 'viewer', tenantId: 't-1' },
    ],
    tokens: new Map(),
    log: [],
    keySeq: 0,
  };
  const json = (route, status, body, headers = {}) =>
    route.fulfill({
      status,
      contentType: 'application/json',
      headers: { Date: new Date().toUTCString(), ...headers },
      body: body === undefined ? '' : JSON.stringify(body),
    });
  const err = (route, status, error, message) => json(route, status, { statusCode: status, error, message });

  await page.route('**/app-config.json', (route) =>
    opts.appConfig === null
      ? route.fulfill({ status: 404, body: 'nope' })
      : json(route, 200, opts.appConfig ?? { mapTileUrl: null, offlineAfterSeconds: 60 }),
  );

  await page.route('**/api/v1/**', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const path = url.pathname.replace(/^.*\/api\/v1\//, '');
    const method = req.method();
    state.log.push(`${method} ${path}${url.search}`);
    if (path === 'auth/login' && method === 'POST') {
      const { email, password } = req.postDataJSON() ?? {};
      const user = state.users.find((u) => u.email === email);
      if (!user || password !== 'secret123') return err(route, 401, 'Unauthorized', 'invalid email or password');
      const token = fakeJwt({ sub: user.id, email: user.email, role: user.role, tenantId: user.tenantId, n: state.tokens.size });
      state.tokens.set(token, user);
      return json(route, 200, { accessToken: token, tokenType: 'Bearer', expiresIn: 3600 });
    }
    const auth = req.headers().authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('access_token');
    const user = state.tokens.get(auth);
    if (!user || state.expired) return err(route, 401, 'Unauthorized', 'Unauthorized');
    const admin = user.role === 'admin';
    const forbid = () => err(route, 403, 'Forbidden', 'this needs the tenant admin role');

    if (path === 'me') return json(route, 200, { ...user, tenantName: 'Acme Aerial' });
    if (path === 'users' && method === 'GET') return admin ? json(route, 200, { items: state.users }) : forbid();
    if (path === 'users' && method === 'POST') {
      if (!admin) return forbid();
      const b = req.postDataJSON();
      if (state.users.some((u) => u.email === b.email)) return err(route, 409, 'Conflict', 'email is already taken');
      const u = { id: `u-${state.users.length + 1}`, email: b.email, role: b.role, tenantId: user.tenantId };
      state.users.push(u);
      return json(route, 201, u);
    }
    if (path === 'drones' && method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const items = state.drones.slice(start, start + limit);
      const next = start + limit < state.drones.length ? String(start + limit) : null;
      return json(route, 200, { items, nextCursor: next });
    }
    if (path === 'drones' && method === 'POST') {
      if (!admin) return forbid();
      const b = req.postDataJSON();
      const d = {
        id: `d-new-${state.drones.length}`,
        name: b.name,
        serialNumber: b.serialNumber ?? null,
        model: b.model ?? null,
        createdAt: new Date().toISOString(),
        state: null,
      };
      state.drones.push(d);
      return json(route, 201, { ...d, deviceKey: `dk_live_${++state.keySeq}_9f3a1c7e2b5d4a6f8e0c1b2a3d4e5f60` });
    }
    let m = /^drones\/([^/]+)(\/keys|\/track)?$/.exec(path);
    if (m) {
      const d = state.drones.find((x) => x.id === decodeURIComponent(m[1]));
      if (!d) return err(route, 404, 'Not Found', `no drone with id ${m[1]}`);
      if (m[2] === '/keys' && method === 'POST')
        return admin ? json(route, 201, { deviceKey: `dk_live_${++state.keySeq}_rotated_0a1b2c3d4e5f` }) : forbid();
      if (m[2] === '/track') {
        const pts = [];
        if (d.state) {
          for (let k = 30; k >= 0; k--) {
            pts.push({
              timestamp: new Date(Date.now() - k * 25_000).toISOString(),
              lat: d.state.lat - k * 0.0012,
              lon: d.state.lon - Math.sin(k / 4) * 0.004 - k * 0.0006,
            });
          }
        }
        return json(route, 200, { droneId: d.id, points: pts });
      }
      if (method === 'DELETE') {
        if (!admin) return forbid();
        state.drones = state.drones.filter((x) => x !== d);
        return route.fulfill({ status: 204, body: '' });
      }
      return json(route, 200, d);
    }
    if (path === 'map/drones') {
      const bb = (url.searchParams.get('bbox') ?? '').split(',').map(Number);
      if (
        bb.length !== 4 ||
        bb.some((v) => !Number.isFinite(v)) ||
        bb[0] > bb[2] ||
        bb[1] > bb[3] ||
        bb[0] < -180 ||
        bb[2] > 180 ||
        bb[1] < -90 ||
        bb[3] > 90
      ) {
        state.badBbox = (state.badBbox ?? 0) + 1;
        return err(route, 400, 'Bad Request', 'bbox must be minLon,minLat,maxLon,maxLat within -180..180 / -90..90');
      }
      const feats = state.drones
        .filter((d) => d.state && d.state.lon >= bb[0] && d.state.lon <= bb[2] && d.state.lat >= bb[1] && d.state.lat <= bb[3])
        .map(toFeature);
      return json(route, 200, { type: 'FeatureCollection', features: feats, truncated: false });
    }
    if (path === 'map/stream') {
      // One short burst of events, then the response ends (the app must reconnect by itself).
      const moved = state.drones.filter((d) => d.state).slice(0, 20);
      let body = ':ok\n\n';
      for (const d of moved) {
        d.state = { ...d.state, timestamp: new Date().toISOString(), lastSeenAt: new Date().toISOString(), lat: d.state.lat + 0.001 };
        body += `event: drone\ndata: ${JSON.stringify(toFeature(d))}\n\n`;
      }
      return route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' }, body });
    }
    // Issue-11/flights resources: empty here (the real-backend suites in test/browser cover them).
    if (method === 'GET' && (path === 'geofences' || path === 'alerts' || path === 'flights'))
      return json(route, 200, { items: [], nextCursor: null });
    return err(route, 404, 'Not Found', `no route ${method} ${path}`);
  });
  return state;
}

const COMMON_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Software WebGL with software compositing: the WebGL frame is read back (glReadPixels) on the main thread. */
export const BROWSER_ARGS = [...COMMON_ARGS, '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader'];

/** Software WebGL (SwiftShader via ANGLE) with GPU-style compositing: no readback, closer to a browser with a GPU. */
export const BROWSER_ARGS_GPU = [...COMMON_ARGS, '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
