# syntax=docker/dockerfile:1

# Build stage: a static binary of ./cmd/sparrow.
FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first, so editing code does not re-download modules.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/sparrow ./cmd/sparrow \
 && mkdir -p /out/data

# Runtime stage: no shell, no package manager; CA certificates and tzdata only.
# The image has no PostgreSQL server, so DATABASE_URL must be set (docker-compose.yml does).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sparrow /usr/local/bin/sparrow
# Owned by the non-root user, so a volume mounted here starts writable.
COPY --from=build --chown=nonroot:nonroot /out/data /home/nonroot/.data
# The data directory must be writable by the non-root user. The local sign-in
# key (used when no Clerk keys are set) is kept in the database, so every
# replica shares it and tokens survive restarts without a volume here.
WORKDIR /home/nonroot
ENV HOST=0.0.0.0 \
    PORT=8080 \
    SPARROW_DATA_DIR=/home/nonroot/.data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/sparrow"]
CMD ["serve"]
