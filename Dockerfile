# syntax=docker/dockerfile:1
# Foyer's production image: built once per commit, run as several instances on one PostgreSQL.
#   docker build -t foyer .
#   docker run --read-only --tmpfs /tmp --tmpfs /app/.next/cache -v foyer-data:/data \
#     -e PUBLIC_URL=https://id.example.com -e FOYER_SECRET=… -p 3000:3000 foyer
# See compose.yaml for PostgreSQL, two instances and a TLS proxy.

ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# The same sources give the same build id, assets and action ids on any machine (no secret needed).
RUN node scripts/build-if-needed.mjs && npm prune --omit=dev --no-audit --no-fund && rm -rf .next/cache

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
# Code owned by root and read-only to the service; only /data (and tmpfs mounts) are writable.
COPY --from=build /app/package.json /app/package-lock.json /app/next.config.ts /app/tsconfig.json /app/proxy.ts /app/global.d.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/server ./server
COPY --from=build /app/app ./app
COPY --from=build /app/components ./components
COPY --from=build /app/i18n ./i18n
COPY --from=build /app/messages ./messages
COPY --from=build /app/themes ./themes
COPY --from=build /app/bin ./bin
COPY --from=build /app/sdk/src ./sdk/src
COPY --from=build /app/sdk/package.json ./sdk/package.json
RUN mkdir -p /data /app/.next/cache && chown node:node /data /app/.next/cache
USER node
VOLUME ["/data"]
EXPOSE 3000
# Ready means the database answers and the instance is not draining.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains: no new connections, requests in flight finish, queued mail goes out, exit 0.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "server/main.ts"]
