# dronetrack: one image for every role (ROLES=ingest|processor|web, comma-separated).
#   docker build -t dronetrack:0.1.0 .
#   docker run --read-only --tmpfs /tmp -v dronetrack-data:/data -p 3000:3000 dronetrack:0.1.0
# Kubernetes manifests: kustomize/ (docs/deployment.md). Plain Dockerfile: no BuildKit-only syntax.

# --- build: full dependency tree, compile the server and the web application -------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Everything else the build needs (.dockerignore keeps out node_modules, dist, tests, .git...).
COPY . .
# Server: `npm run build` -> dist/. Web app (vite, web/vite.config.ts) -> web/dist: through a
# `build:web` script when package.json has one, else vite directly. web/dist is created empty
# when there is no front end, so the COPY below never breaks.
RUN npm run build \
 && if npm pkg get scripts.build:web | grep -q '"'; then npm run build:web; \
    elif [ -f web/vite.config.ts ]; then npx vite build --config web/vite.config.ts; fi \
 && mkdir -p web/dist \
 && test -f dist/src/main.js

# --- deps: production node_modules only ------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime --------------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# Code stays owned by root: the app user can read it, never change it.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./
# Writable at run time: only /tmp and /data (DATA_DIR, the embedded store; unused with MONGO_URL).
# With a read-only root filesystem mount both (Kubernetes: emptyDir volumes).
RUN mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0750 /data
USER 10001:10001
EXPOSE 3000
# node is PID 1 and receives SIGTERM itself (graceful drain, SHUTDOWN_GRACE_SECONDS).
# The Kubernetes manifests run the same command.
ENTRYPOINT []
CMD ["node", "dist/src/main.js"]
