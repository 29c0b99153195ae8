# CarePact api and worker image (one image, two commands). Debian, like the development machines:
# poppler-utils/qpdf for PDF checks at run time are not needed, fonts ship in templates/assets.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json .swcrc nest-cli.json ./
COPY apps apps
COPY libs libs
COPY scripts scripts
COPY templates templates
RUN npx swc apps libs scripts -d dist --quiet --copy-files --ignore '**/*.spec.ts' && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/templates templates
RUN mkdir -p /var/lib/carepact/secrets && chown node:node /var/lib/carepact/secrets
USER node
EXPOSE 3000 3001
CMD ["node", "dist/apps/api/src/main.js"]
