# syntax=docker/dockerfile:1
# The sidecar image: z2jh-configurator's server in a JupyterHub pod (README.md, "Deploying next to a z2jh hub").
#
#   docker build -t registry.example.org/z2jh-configurator:0.1.0 .
#   docker push registry.example.org/z2jh-configurator:0.1.0
#
# The site is built for the base path the hub serves it under, JupyterHub's service prefix: the default fits
# `helm-values --mode sidecar` with hub.baseUrl "/" and the service name "configurator". For another one:
#   docker build --build-arg CONFIGURATOR_BASE=/jupyter/services/configurator/ -t ... .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG CONFIGURATOR_BASE=/services/configurator/
# Registry checks belong to CI and to the running server; the image build must not depend on them.
RUN CONFIGURATOR_BASE="${CONFIGURATOR_BASE}" CONFIGURATOR_CHECK_IMAGES=false \
    node bin/z2jh-configurator.mjs build --out dist

FROM ${NODE_IMAGE}
# git: the content repository. ca-certificates: image checks against registries over HTTPS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Production dependencies only: Node 24 runs the TypeScript CLI and server itself (type stripping).
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY src ./src
COPY content ./content
COPY hub ./hub
COPY tsconfig.json ./
COPY scripts/container-entrypoint.mjs scripts/healthcheck.mjs ./scripts/
# The node user (uid 1000) owns nothing here: the server only writes to its content repository, on a volume
# (CONFIGURATOR_CONTENT_REPO). Numeric, so that Kubernetes can check runAsNonRoot.
USER 1000:1000
ENV HOST=0.0.0.0 \
    PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "/app/scripts/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/scripts/container-entrypoint.mjs"]
CMD ["serve"]
