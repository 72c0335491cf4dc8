# dronetrack: one image for every role (ROLES=ingest|processor|web, comma-separated).
#   docker build -t dronetrack:dev .
#   docker run --read-only --tmpfs /tmp -v dronetrack-data:/data -p 3000:3000 dronetrack:dev
# Kubernetes manifests: kustomize/ (docs/deployment.md). Plain Dockerfile: no BuildKit-only syntax.

# --- build: full dependency tree, compile the server and the web application -------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# Everything else the build needs (.dockerignore keeps out node_modules, dist, tests, .git...).
COPY . .
# `npm run build` compiles the server (nest build -> dist/src, dist/libs, dist/tools) and builds the web app
# once (its build:web step: vite -> web/dist). The tests hold this stage to exactly one web build.
RUN npm run build \
 && test -f dist/src/main.js \
 && test -f web/dist/index.html

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
# Only what `node dist/src/main.js` loads: the compiled server, its libraries and tools (the demo
# fleet, DEMO=true, flies the simulator's models), and the web app. The benchmarks are compiled
# apart (dist-bench) and never reach the image.
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/tools ./dist/tools
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
