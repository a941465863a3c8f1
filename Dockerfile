# syntax=docker/dockerfile:1.20
# One image recipe for every Radiata service. SERVICE selects the workspace:
#   gateway       -> gateway/                 (package @radiata/gateway)
#   provider-fake -> packages/provider-fake/  (package @radiata/provider-fake: the payment provider fake)
#   <name>        -> subgraphs/<name>/        (package @radiata/<name>, e.g. users)
#
#   docker build --build-arg SERVICE=users -t radiata/users .
#   docker build --build-arg SERVICE=users --target tools -t radiata/tools .   # dev deps + scripts (migrations)
#   docker build --target storefront -t radiata/storefront .                   # the web storefront (nginx)
#
# The runtime image expects PORT in its environment (docker-compose.yml sets it per service),
# and HOST=0.0.0.0 to be reachable from outside the container (services bind 127.0.0.1 by
# default); METRICS_PORT is Prometheus' port. The HEALTHCHECK probes http://127.0.0.1:$PORT/healthz.
# The provider fake reads PROVIDER_FAKE_PORT and PROVIDER_FAKE_HOST instead and serves no metrics.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    TURBO_TELEMETRY_DISABLED=1 \
    TURBO_NO_UPDATE_NOTIFIER=1 \
    CHECKPOINT_DISABLE=1
WORKDIR /app

# ---------------------------------------------------------------------------------------------
# tools: every dependency (dev included) and the built service. The one-shot `migrate` compose
# service runs `npm run db:migrate` from here; the build stage below prunes it for runtime.
FROM base AS deps
# Manifests first: the install layer is reused until a package.json or the lockfile changes.
COPY --parents package.json package-lock.json gateway/package.json packages/*/package.json subgraphs/*/package.json scripts/package.json web/package.json ./
# The npm named in packageManager (the base image's npm may predate the allowScripts policy in
# package.json, which keeps install scripts from downloading binaries from outside the registry).
RUN --mount=type=cache,target=/root/.npm \
    npm install --global "$(node -p 'require("./package.json").packageManager.split("+")[0]')" \
 && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci

COPY . .

FROM deps AS tools
# Declared after the install so every service shares the layers above.
ARG SERVICE
# /app/service -> the workspace directory: the single place the SERVICE -> folder mapping lives.
# turbo builds the workspace and the workspaces it depends on; `build` runs `generate` (Prisma
# client) first, via scripts/prisma-generate.mjs, which needs no engine download.
RUN set -eu; \
    case "${SERVICE:-}" in \
      '') echo 'Build argument SERVICE is required (gateway, users, ...)' >&2; exit 1 ;; \
      gateway) dir=gateway ;; \
      provider-fake) dir=packages/provider-fake ;; \
      *) dir="subgraphs/${SERVICE}" ;; \
    esac; \
    if [ ! -f "$dir/package.json" ]; then echo "SERVICE=${SERVICE}: no workspace at $dir/" >&2; exit 1; fi; \
    if [ "$SERVICE" = gateway ] && [ ! -f schema/supergraph.graphql ]; then \
      echo 'schema/supergraph.graphql is missing: run `npm run compose` and commit it' >&2; exit 1; \
    fi; \
    ln -sfn "$dir" service; \
    npx turbo run build --filter="@radiata/${SERVICE}..."

# ---------------------------------------------------------------------------------------------
# build: production dependencies only, then the runtime tree assembled in /out with the
# repository layout kept (node_modules links workspaces as ../../packages/<name> etc.).
FROM tools AS build
RUN set -eu; \
    npm prune --omit=dev; \
    dir="$(readlink service)"; \
    mkdir -p /out; \
    cp -a --parents package.json node_modules service /out/; \
    if [ -d schema ]; then cp -a --parents schema /out/; fi; \
    for ws in gateway packages/* subgraphs/*; do \
      cp -a --parents "$ws/package.json" /out/; \
      if [ -d "$ws/node_modules" ]; then cp -a --parents "$ws/node_modules" /out/; fi; \
    done; \
    for pkg in packages/*; do \
      if [ -d "$pkg/dist" ]; then cp -a --parents "$pkg/dist" /out/; fi; \
    done; \
    cp -a --parents "$dir/dist" /out/

# ---------------------------------------------------------------------------------------------
FROM base AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="radiata-${SERVICE}" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
# Owned by root and read-only to the process.
COPY --from=build /out/ /app/
USER node
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT;if(!p){console.error('PORT is not set');process.exit(1)}fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node resolves the symlink, so the service sees its real path (e.g. /app/subgraphs/users/dist).
CMD ["node", "service/dist/main.js"]

# ---------------------------------------------------------------------------------------------
# storefront: the web app (web/) built for the gateway the browser reaches (published on the
# host's 127.0.0.1:4000 by docker-compose.yml), served as static files by unprivileged nginx on
# 8080 with the single-page app's fallback (web/docker/nginx.conf).
FROM deps AS storefront-build
ARG VITE_GATEWAY_URL=http://localhost:4000/graphql
ARG VITE_PROVIDER_CHECKOUT_URL=http://localhost:4010/v1/checkouts
RUN npm run generate -w web && VITE_GATEWAY_URL="$VITE_GATEWAY_URL" VITE_PROVIDER_CHECKOUT_URL="$VITE_PROVIDER_CHECKOUT_URL" npm run build -w web

FROM nginxinc/nginx-unprivileged:1.28-alpine AS storefront
LABEL org.opencontainers.image.title="radiata-storefront" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY web/docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=storefront-build /app/web/dist/ /usr/share/nginx/html/
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
