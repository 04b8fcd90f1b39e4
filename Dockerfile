# triggergate container image.
#
# For builders with a container engine:  docker build -t ghcr.io/triggergate/triggergate:0.1.0 .
# image/build.sh makes the same image without one and without registry pulls (docs/image.md); keep the two equal in
# content (Tests/DeployTests/DockerfileTests.swift checks the packages, the user and the labels).
#
# Build stage: Swift 6.3 on Debian bookworm, release build with the Swift standard library linked in statically.
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pkg-config libssl-dev libnghttp2-dev libyaml-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so that a change to the sources alone reuses this layer.
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
# What the BuildInfo plugin reads: the release version (the chart's appVersion) and the sample AdmissionReview. Without
# .git the commit is "unknown": pass --build-arg TRIGGERGATE_COMMIT=$(git rev-parse --short=12 HEAD), and
# TRIGGERGATE_VERSION for a release.
COPY Plugins ./Plugins
COPY chart/triggergate/Chart.yaml ./chart/triggergate/Chart.yaml
COPY deploy/examples/admission-review.json ./deploy/examples/admission-review.json
ARG TRIGGERGATE_VERSION
ARG TRIGGERGATE_COMMIT
RUN swift build -c release --static-swift-stdlib --product triggergate \
    && install -D "$(swift build -c release --static-swift-stdlib --show-bin-path)/triggergate" /out/triggergate \
    && strip --strip-debug /out/triggergate

# Runtime stage: only the shared libraries the binary links (OpenSSL 3, nghttp2, libyaml and libstdc++ for the Swift
# runtime), and CA certificates.
FROM debian:bookworm-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libssl3 libnghttp2-14 libyaml-0-2 libstdc++6 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
LABEL org.opencontainers.image.title=triggergate \
      org.opencontainers.image.source=https://github.com/triggergate/triggergate \
      org.opencontainers.image.version=$VERSION \
      org.opencontainers.image.revision=$REVISION
COPY --from=build /out/triggergate /usr/local/bin/triggergate
# The same numeric user the manifests name in runAsUser, so runAsNonRoot can verify it.
USER 65532:65532
EXPOSE 8443 8081
ENTRYPOINT ["/usr/local/bin/triggergate"]
CMD ["serve"]
