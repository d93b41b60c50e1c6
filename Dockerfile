# syntax=docker/dockerfile:1.7
# Confeitaria images, one multi-stage file (docs/docker.md). Targets:
#   service         the seven Koa services in one image (compose picks the service by its command);
#                   one image instead of seven keeps the layers shared, so the stack pulls them once
#   otel-collector  the official contrib collector plus a static busybox for its healthcheck
#   tempo           Tempo plus the same probe and a data folder owned by Tempo's user
#   runner          k6 and the chaos runner (compose profiles `load` and `chaos`)
# Base images carry exact version tags; their digests could not be resolved on the machine that wrote
# this file (no Docker engine, no registry access), so pin them with `docker buildx imagetools inspect`
# before publishing. Validated by deploy/test/dockerfile-lint.test.ts, not built here.

FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when a manifest or the lockfile changes.
COPY --chown=node:node package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY --chown=node:node services/platform/package.json services/platform/
COPY --chown=node:node services/identity/package.json services/identity/
COPY --chown=node:node services/catalog/package.json services/catalog/
COPY --chown=node:node services/cart/package.json services/cart/
COPY --chown=node:node services/orders/package.json services/orders/
COPY --chown=node:node services/payments/package.json services/payments/
COPY --chown=node:node services/notifications/package.json services/notifications/
COPY --chown=node:node services/gateway/package.json services/gateway/
COPY --chown=node:node stack/package.json stack/
COPY --chown=node:node chaos/package.json chaos/
COPY --chown=node:node grafana/package.json grafana/
COPY --chown=node:node tests/package.json tests/
COPY --chown=node:node deploy/package.json deploy/
COPY --chown=node:node bench/package.json bench/
# `npm install` with the committed lock file, not `npm ci`: npm 11 writes lock files without other
# platforms' optional packages (Biome's binaries), and `npm ci` then refuses its own lock file. Versions
# still come from package-lock.json; see stack/bootstrap.sh, which installs the same way.
RUN npm install --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --chown=node:node . .
RUN node_modules/.bin/tsc --build

# Production dependencies of the services only: no TypeScript, no test or tooling packages.
FROM node:24.21.0-bookworm-slim AS service-dependencies
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/services/ services/
COPY --from=build --chown=node:node /app/stack/package.json stack/
COPY --from=build --chown=node:node /app/chaos/package.json chaos/
COPY --from=build --chown=node:node /app/grafana/package.json grafana/
COPY --from=build --chown=node:node /app/tests/package.json tests/
COPY --from=build --chown=node:node /app/deploy/package.json deploy/
COPY --from=build --chown=node:node /app/bench/package.json bench/
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace=services/platform --workspace=services/identity --workspace=services/catalog \
      --workspace=services/cart --workspace=services/orders --workspace=services/payments \
      --workspace=services/notifications --workspace=services/gateway \
  && npm cache clean --force \
  && rm -rf services/*/src services/*/test services/*/tsconfig.json services/*/dist/test services/*/dist/*.tsbuildinfo

FROM node:24.21.0-bookworm-slim AS service
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
WORKDIR /app
# Compiled JavaScript, migrations and production node_modules only; owned by root so the service
# user can read but not rewrite its own code.
COPY --from=service-dependencies --chown=root:root /app /app
USER node
# Liveness only (no dependency probes): compose overrides it with /readyz where a dependent waits.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The telemetry preload must load before the app so its instrumentations can patch the modules.
ENTRYPOINT ["node", "--require", "/app/services/platform/dist/src/telemetry/preload.js"]
CMD ["/app/services/gateway/dist/src/main.js"]

# A static busybox: the collector and Tempo images have no shell or HTTP client for a healthcheck.
FROM busybox:1.37.0-musl AS probe
RUN mkdir -p /var/tempo

FROM otel/opentelemetry-collector-contrib:0.161.0 AS otel-collector
COPY --from=probe --chown=root:root /bin/busybox /probe/busybox
# The image's own unprivileged user, stated so the lint rule (and a reader) need not know it.
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/probe/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:13133/"]

FROM grafana/tempo:2.8.2 AS tempo
COPY --from=probe --chown=root:root /bin/busybox /probe/busybox
# A named volume mounted here starts as a copy of this folder, ownership included.
COPY --from=probe --chown=10001:10001 /var/tempo /var/tempo
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/probe/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:3200/ready"]

# k6 at the version pinned in stack/tools.json, built the same way the local stack builds it.
FROM golang:1.26.8-bookworm AS k6
ENV CGO_ENABLED=0 GOFLAGS=-trimpath
RUN go install go.k6.io/k6/v2@v2.1.0 && go clean -cache -modcache

FROM docker:28.5.2-cli AS docker-cli

# The load generator and the chaos runner: the whole built workspace, k6, and the docker CLI with its
# compose plugin (the docker process driver stops, kills and pauses containers through the socket).
FROM node:24.21.0-bookworm-slim AS runner
WORKDIR /app
COPY --from=build --chown=root:root /app /app
COPY --from=k6 --chown=root:root /go/bin/k6 /usr/local/bin/k6
COPY --from=docker-cli --chown=root:root /usr/local/bin/docker /usr/local/bin/docker
COPY --from=docker-cli --chown=root:root /usr/local/libexec/docker/cli-plugins/docker-compose /usr/local/libexec/docker/cli-plugins/docker-compose
USER node
# A one-shot job, not a server: nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["npm", "run", "--silent"]
CMD ["chaos:suite"]
