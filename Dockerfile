# imbridge's image: built with the dev dependencies, run with the production ones only, as a non-root
# user, with the node flags of `npm start` (src/runtime.ts). See docs/running.md.
# NODE_IMAGE lets a build without access to Docker Hub use a Node 20 image of its own.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles SQLite from source where no prebuilt binary can be fetched.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY mappings mappings
COPY bench bench
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=8080 \
    OUTBOX_URL=sqlite:/data/outbox.sqlite
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/dist dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# Ready means the outbox takes a write now (docs/operations.md#health).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself; imbridge drains and exits on it.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--max-old-space-size=384", "--max-semi-space-size=8", "--liftoff-only", "dist/src/cli.js"]
CMD ["serve"]
