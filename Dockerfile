# The headless runner (`weir run`, `weir partitions`, `weir export`, `weir audit`, ...) for
# servers, cron, Kubernetes Jobs and Dagster: docs/lots.md, "Deployment".
#
#   docker build -t weir-runner:latest .
#   docker run --rm -v "$PWD:/workspace" --env-file prod.env weir-runner:latest \
#     run pipelines/batch_release.weir.json --env prod
#
# Not the designer: `weir serve` needs the built renderer, which this image leaves out.
FROM node:20-slim

ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

WORKDIR /app
# Only what the runner needs: the lock file and the committed CLI (bin/weir.cjs and the bundle
# it starts, bin/weir-main.cjs, are built
# from the sources and checked in, so nothing is compiled here). --omit=dev leaves out
# Electron, TypeScript, esbuild and the test servers; DuckDB's prebuilt Linux binary comes as
# an optional dependency, so no build tools are needed (none are installed). No package has an
# install script the runner needs: --ignore-scripts.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
    && npm cache clean --force
COPY bin/weir.cjs bin/weir-main.cjs bin/
RUN chmod 0755 bin/weir.cjs && ln -s /app/bin/weir.cjs /usr/local/bin/weir \
    && mkdir /workspace && chown node:node /workspace

# The workspace (a checkout of the pipelines' repository) is mounted here, or copied in by an
# image built FROM this one; its .weir/ (run records, audit log, watermarks) should be a volume.
WORKDIR /workspace
# The `node` user of the base image (uid 1000): never root.
USER node

ENTRYPOINT ["node", "/app/bin/weir.cjs"]
CMD ["--help"]
