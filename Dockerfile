# Confeitaria images, one multi-stage file, all on one Debian base (docs/docker.md). Every image of the
# stack but Grafana's and Tempo's is built here, from the same Debian packages (stack/debian-packages.txt)
# and the same Go-built tools (stack/tools.json) as local mode, so both modes run one set of versions
# and a first `up` pulls only the Debian base and those two images. Targets compose runs:
#   service          the seven Koa services (compose picks one by its command)
#   postgres redis rabbitmq prometheus postgres-exporter redis-exporter toxiproxy otel-collector
#   tempo            the official Tempo plus a static busybox for its healthcheck
#   runner           k6, the chaos runner and the docker CLI (compose profiles `load` and `chaos`)
# No `# syntax=` line: the builder built into the engine is used as it is, so nothing is pulled to
# build. Checked by deploy/test/dockerfile-lint.test.ts; built and run by tests/src/docker.

# The one base image. `12-slim` follows Debian 12's point releases as local mode's packages follow
# bookworm's updates; the docker-mode test compares the package versions of the two modes.
ARG DEBIAN_IMAGE=debian:12-slim
# `source` compiles the Go tools in the image (a first build on a laptop); `prebuilt` copies binaries
# built by local mode's `npm run stack -- tools` into .docker-tools/ (the docker-mode test does that,
# so the same binaries run in both modes and CI does not compile them twice).
ARG TOOLS=source
# The Go toolchain the tools are built with (stack/tools.json "go"; a deploy test keeps them equal).
ARG GO_VERSION=go1.26.8

FROM ${DEBIAN_IMAGE} AS debian
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
# Packages must not start services while they install (there is no init system to start them with).
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d

# Downloads happen here. EXTRA_CA_CERTS: a PEM bundle for networks that inspect TLS (empty elsewhere).
FROM debian AS fetch
ARG EXTRA_CA_CERTS=""
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends ca-certificates curl unzip \
  && rm -rf /var/lib/apt/lists/* \
  && if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/ca-certificates/extra.crt && update-ca-certificates; fi
# Node (npm) trusts its own CA list unless told to read the system's, which holds EXTRA_CA_CERTS.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt

# Node and npm from the npm registry, the versions package.json pins (devDependencies.node and
# packageManager): the same runtime `npm install` puts in node_modules/.bin for local mode.
FROM fetch AS node-runtime
ARG TARGETARCH
COPY --chown=root:root package.json /tmp/package.json
RUN node_version=$(sed -n 's/.*"node": "\([0-9.]*\)".*/\1/p' /tmp/package.json | head -1) \
  && npm_version=$(sed -n 's/.*"packageManager": "npm@\([0-9.]*\)".*/\1/p' /tmp/package.json) \
  && arch=$(case "$TARGETARCH" in arm64) echo arm64 ;; *) echo x64 ;; esac) \
  && mkdir -p /opt/node/bin /opt/node/lib/node_modules/npm \
  && curl -fsSL "https://registry.npmjs.org/node-linux-$arch/-/node-linux-$arch-$node_version.tgz" \
     | tar -xz -C /opt/node --strip-components=1 package/bin/node \
  && curl -fsSL "https://registry.npmjs.org/npm/-/npm-$npm_version.tgz" \
     | tar -xz -C /opt/node/lib/node_modules/npm --strip-components=1 \
  && ln -s ../lib/node_modules/npm/bin/npm-cli.js /opt/node/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /opt/node/bin/npx \
  && rm /tmp/package.json

# The workspace manifests and the lock file: the dependency layers below are rebuilt only when one
# of these changes, not when a source file does.
FROM fetch AS manifests
COPY --from=node-runtime --chown=root:root /opt/node /opt/node
ENV PATH=/opt/node/bin:$PATH
WORKDIR /app
COPY --chown=root:root package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY --chown=root:root services/platform/package.json services/platform/
COPY --chown=root:root services/identity/package.json services/identity/
COPY --chown=root:root services/catalog/package.json services/catalog/
COPY --chown=root:root services/cart/package.json services/cart/
COPY --chown=root:root services/orders/package.json services/orders/
COPY --chown=root:root services/payments/package.json services/payments/
COPY --chown=root:root services/notifications/package.json services/notifications/
COPY --chown=root:root services/gateway/package.json services/gateway/
COPY --chown=root:root web/package.json web/
COPY --chown=root:root stack/package.json stack/
COPY --chown=root:root chaos/package.json chaos/
COPY --chown=root:root grafana/package.json grafana/
COPY --chown=root:root tests/package.json tests/
COPY --chown=root:root deploy/package.json deploy/
COPY --chown=root:root bench/package.json bench/

# `npm install` with the committed lock file, not `npm ci`: npm 11 writes lock files without other
# platforms' optional packages (Biome's binaries), and `npm ci` then refuses its own lock file. Versions
# still come from package-lock.json; stack/bootstrap.sh installs the same way. No install scripts: the
# `node` package would fetch a second Node; /opt/node is the same version.
FROM manifests AS dependencies
RUN npm install --ignore-scripts --no-audit --no-fund --loglevel=error && npm cache clean --force \
  && rm -f node_modules/.bin/node

FROM dependencies AS build
COPY --chown=root:root . .
RUN npm run --silent build

# The Go tools, compiled by local mode's own build code (stack/src/tools.ts) with the pinned Go. Only
# the stack workspace and the collector manifest are copied, so editing a service does not recompile
# the tools (the long step of a first build).
FROM dependencies AS tools-source
ARG GO_VERSION
ARG TARGETARCH
RUN curl -fsSLo /tmp/go.zip "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-$GO_VERSION.linux-${TARGETARCH:-amd64}.zip" \
  && unzip -q /tmp/go.zip -d /tmp/go \
  && mv "/tmp/go/golang.org/toolchain@v0.0.1-$GO_VERSION.linux-${TARGETARCH:-amd64}" /usr/local/go \
  && chmod -R a+x /usr/local/go/bin /usr/local/go/pkg/tool \
  && rm -rf /tmp/go /tmp/go.zip
COPY --chown=root:root stack/ stack/
COPY --chown=root:root otel/builder-config.yaml otel/
# read when the stack's CLI loads (its port plan)
COPY --chown=root:root chaos/proxies.json chaos/
ENV PATH=/usr/local/go/bin:$PATH GOPATH=/tmp/gopath GOCACHE=/tmp/gocache CONFEITARIA_CACHE_DIR=/tmp/tool-cache
RUN node_modules/.bin/tsc --build stack \
  && node stack/dist/src/cli.js tools k6 toxiproxy-server toxiproxy-cli otelcol docker-compose \
  && mkdir /out && find /tmp/tool-cache/tools -path '*/bin/*' -type f -exec cp {} /out/ ';' \
  && rm -rf /tmp/gopath /tmp/gocache /tmp/tool-cache

FROM debian AS tools-prebuilt
COPY --chown=root:root .docker-tools/ /out/

FROM tools-${TOOLS} AS tools

# Production dependencies of the services only (no TypeScript, no test or tooling packages), from
# the manifests alone.
FROM manifests AS service-dependencies
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
      --workspace=services/platform --workspace=services/identity --workspace=services/catalog \
      --workspace=services/cart --workspace=services/orders --workspace=services/payments \
      --workspace=services/notifications --workspace=services/gateway --workspace=web \
  && npm cache clean --force

# The services' compiled JavaScript and migrations, without their tests.
FROM build AS service-files
RUN mkdir -p /service \
  && for dir in services/*/; do mkdir -p "/service/$dir" && cp -r "$dir/package.json" "$dir/dist" "/service/$dir"; \
       if [ -d "$dir/migrations" ]; then cp -r "$dir/migrations" "/service/$dir"; fi; done \
  && rm -rf /service/services/*/dist/test /service/services/*/dist/*.tsbuildinfo \
  && mkdir -p /service/web && cp -r web/package.json web/dist /service/web

FROM debian AS service
COPY --from=node-runtime --chown=root:root /opt/node/bin/node /usr/local/bin/node
# Compiled JavaScript, migrations and production node_modules only; owned by root so the service
# user can read but not rewrite its own code.
COPY --from=service-dependencies --chown=root:root /app/package.json /app/package.json
COPY --from=service-dependencies --chown=root:root /app/node_modules /app/node_modules
COPY --from=service-files --chown=root:root /service/services /app/services
# The storefront the gateway serves at / (web/, built by Vite in the build stage).
COPY --from=service-files --chown=root:root /service/web /app/web
COPY --chown=root:root deploy/docker/http-probe.sh /usr/local/bin/http-probe
ENV NODE_ENV=production HOST=0.0.0.0 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
WORKDIR /app
USER 10001:10001
# Liveness from bash (no second Node process in the container's memory limit); compose probes /readyz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "/usr/local/bin/http-probe", "http", "/healthz"]
# The telemetry preload must load before the app so its instrumentations can patch the modules.
ENTRYPOINT ["node", "--require", "/app/services/platform/dist/src/telemetry/preload.js"]
CMD ["/app/services/gateway/dist/src/main.js"]

# Infrastructure from Debian's packages, the ones local mode runs (stack/debian-packages.txt).
FROM debian AS postgres
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends postgresql-15 postgresql-client-15 \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
  && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
COPY --chown=root:root deploy/docker/postgres/ /usr/local/lib/confeitaria/
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data/pgdata
USER postgres
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=10 \
  CMD ["pg_isready", "-h", "/var/run/postgresql", "-d", "postgres"]
ENTRYPOINT ["bash", "/usr/local/lib/confeitaria/entrypoint.sh"]

FROM debian AS redis
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends redis-server \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /data && chown redis:redis /data
USER redis
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD ["redis-cli", "ping"]
ENTRYPOINT ["redis-server"]

FROM debian AS rabbitmq
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends rabbitmq-server \
  && rm -rf /var/lib/apt/lists/*
COPY --chown=root:root deploy/docker/rabbitmq/ /usr/local/lib/confeitaria/
COPY --chown=root:root deploy/docker/http-probe.sh /usr/local/bin/http-probe
ENV HOME=/var/lib/rabbitmq RABBITMQ_CONFIG_FILE=/var/lib/rabbitmq/rabbitmq.conf RABBITMQ_CONF_ENV_FILE=/dev/null \
    RABBITMQ_ENABLED_PLUGINS_FILE=/usr/local/lib/confeitaria/enabled_plugins
USER rabbitmq
# The AMQP listener accepts connections and the Prometheus endpoint answers (no Erlang CLI, which
# would start a second VM inside the memory limit on every probe).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=10 \
  CMD ["bash", "-c", "bash /usr/local/bin/http-probe tcp 5672 && bash /usr/local/bin/http-probe http /metrics 15692"]
ENTRYPOINT ["bash", "/usr/local/lib/confeitaria/entrypoint.sh"]

FROM debian AS prometheus
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends prometheus \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /prometheus && chown prometheus:prometheus /prometheus
COPY --chown=root:root deploy/docker/http-probe.sh /usr/local/bin/http-probe
USER prometheus
HEALTHCHECK --interval=10s --timeout=3s --retries=10 CMD ["bash", "/usr/local/bin/http-probe", "http", "/-/ready", "9090"]
ENTRYPOINT ["prometheus"]

FROM debian AS postgres-exporter
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends prometheus-postgres-exporter \
  && rm -rf /var/lib/apt/lists/*
COPY --chown=root:root deploy/docker/http-probe.sh /usr/local/bin/http-probe
USER prometheus
# The landing page, not /metrics: /metrics waits on the database, and a database fault must not
# make its exporter look dead (the dashboards show the fault through it).
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["bash", "/usr/local/bin/http-probe", "http", "/", "9187"]
ENTRYPOINT ["prometheus-postgres-exporter"]

FROM debian AS redis-exporter
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends prometheus-redis-exporter \
  && rm -rf /var/lib/apt/lists/*
COPY --chown=root:root deploy/docker/http-probe.sh /usr/local/bin/http-probe
USER prometheus
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["bash", "/usr/local/bin/http-probe", "http", "/", "9121"]
ENTRYPOINT ["prometheus-redis-exporter"]

# The Go tools of stack/tools.json, each on the Debian base.
FROM debian AS toxiproxy
COPY --from=tools --chown=root:root /out/toxiproxy-server /out/toxiproxy-cli /usr/local/bin/
USER 10001:10001
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD ["toxiproxy-cli", "list"]
ENTRYPOINT ["toxiproxy-server"]

FROM debian AS otel-collector
COPY --from=tools --chown=root:root /out/otelcol-confeitaria /usr/local/bin/otelcol-confeitaria
COPY --chown=root:root deploy/docker/http-probe.sh /usr/local/bin/http-probe
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=5 \
  CMD ["bash", "/usr/local/bin/http-probe", "http", "/", "13133"]
ENTRYPOINT ["otelcol-confeitaria"]

# Tempo is the official image (AGPL: not built here). It has no shell or HTTP client, so a static
# busybox from Debian's busybox-static package comes along for its healthcheck.
FROM debian AS probe
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends busybox-static \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/tempo

FROM grafana/tempo:2.8.2 AS tempo
COPY --from=probe --chown=root:root /bin/busybox /probe/busybox
# A named volume mounted here starts as a copy of this folder, ownership included.
COPY --from=probe --chown=10001:10001 /var/tempo /var/tempo
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=10 \
  CMD ["/probe/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:3200/ready"]

# The load generator and the chaos runner: the whole built workspace, Node, k6, and the docker CLI
# with its compose plugin (the docker process driver stops, kills and pauses containers through the
# engine's socket, which compose mounts).
FROM debian AS runner
RUN apt-get update -q \
  && apt-get install -y -q --no-install-recommends docker.io \
  && rm -rf /var/lib/apt/lists/*
COPY --from=node-runtime --chown=root:root /opt/node /opt/node
COPY --from=tools --chown=root:root /out/k6 /usr/local/bin/k6
COPY --from=tools --chown=root:root /out/docker-compose /usr/libexec/docker/cli-plugins/docker-compose
COPY --from=build --chown=root:root /app /app
ENV PATH=/opt/node/bin:$PATH CONFEITARIA_PREBUILT_TOOLS=/usr/local/bin
WORKDIR /app
# The engine's socket is root-owned on Docker Desktop and group-owned elsewhere: compose runs this
# container as root (docs/docker.md, "How the chaos runner reaches the engine").
USER 10001:10001
# A one-shot job, not a server: nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["npm", "run", "--silent"]
CMD ["chaos:suite"]
