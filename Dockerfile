# Superlists production image. Configuration comes from the environment at run
# time (SECRET_KEY, ALLOWED_HOSTS, EMAIL_* ...): no secret is baked in.

# Production dependencies only, so dev tooling never reaches the final image.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

# The production bundle (npm run build, with esbuild, a dev tool): only dist/ leaves this stage.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:24-slim
# Memory policy, fixed here rather than switched at run time: V8 sizes its heap for
# the host, so a loaded server keeps hundreds of MB of garbage, and glibc keeps freed
# memory in per-thread arenas. A capped old space and small young generation, and two
# malloc arenas, keep a loaded server's RSS under 150 MB (docs/performance.md); the
# bench runs the server with this same NODE_OPTIONS and MALLOC_ARENA_MAX.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=2" \
    MALLOC_ARENA_MAX=2 \
    SUPERLISTS_ENV=production \
    HOST=0.0.0.0 \
    PORT=8888 \
    DATABASE_URL=sqlite:/data/db.sqlite3
WORKDIR /app
# Code stays owned by root: the app user can read it but not change it.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY static ./static
# `docker exec superlists superlists <command>` runs the CLI, as manage.py did.
RUN chmod 755 dist/main.js \
    && ln -s /app/dist/main.js /usr/local/bin/superlists \
    && mkdir /data \
    && chown node:node /data
# Created after the chown so a new named volume starts out owned by `node`.
VOLUME /data
USER node
EXPOSE 8888
# No curl in the slim image, so node probes itself (health routes skip the host check).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((res) => process.exit(res.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM from `docker stop` directly.
CMD ["node", "dist/main.js", "serve"]
