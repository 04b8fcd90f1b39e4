#!/usr/bin/env bash
# Builds triggergate's container image as an OCI archive, with no registry pulls (docs/image.md):
#
#   image/build.sh [ARCHIVE]        default: .build/image/triggergate-<appVersion>.oci.tar
#
# 1. the binary: a release build with the Swift standard library linked in statically, stripped of debug info;
# 2. the root file system: a minimal Debian bookworm made by mmdebstrap from Debian's packages, only the shared
#    libraries the binary links (libssl3, libnghttp2-14, libyaml-0-2, and libstdc++6 for the Swift runtime) with what
#    they depend on, and ca-certificates; documentation, manual pages, locales and package tools removed;
# 3. the image: buildah (vfs storage in a temporary directory, chroot isolation) from scratch, user 65532, OCI labels
#    source, version and revision; written as an OCI archive.
#
# Needs root (mmdebstrap writes a root file system owned by root), and mmdebstrap, buildah and binutils (.ci/setup).
# The same content as the Dockerfile, which stays for other builders.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^appVersion: *//p' chart/triggergate/Chart.yaml | tr -d '"')
source_url=$(sed -n 's/^home: *//p' chart/triggergate/Chart.yaml)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || revision="$revision-dirty"
created=$(git log -1 --format=%ct 2>/dev/null || date +%s)
archive=${1:-.build/image/triggergate-$version.oci.tar}
packages=libssl3,libnghttp2-14,libyaml-0-2,libstdc++6,ca-certificates

work=$(mktemp -d)
storage=(--root "$work/storage" --runroot "$work/run" --storage-driver vfs)
export BUILDAH_ISOLATION=chroot
cleanup() {
    buildah "${storage[@]}" rm --all >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== binary: swift build -c release --static-swift-stdlib"
nice -n 19 swift build -c release --static-swift-stdlib --product triggergate
binary="$(swift build -c release --static-swift-stdlib --show-bin-path)/triggergate"

echo "== root file system: mmdebstrap bookworm with $packages"
root="$work/rootfs"
nice -n 19 mmdebstrap --quiet --variant=extract --include="$packages" bookworm "$root"
# The CA bundle that ca-certificates' maintainer script would make, and where OpenSSL looks for it by default.
mkdir -p "$root/etc/ssl/certs"
find "$root/usr/share/ca-certificates" -name '*.crt' -print0 | sort -z | xargs -0 cat >"$root/etc/ssl/certs/ca-certificates.crt"
ln -sfn /etc/ssl/certs/ca-certificates.crt "$root/usr/lib/ssl/cert.pem"
# What the binary does not use: package tools and their data, documentation, iconv modules, the apt and dpkg state.
rm -rf "$root"/usr/share/{doc,man,info,lintian,locale,perl5,debconf,bug,gcc,gdb,pixmaps} "$root"/usr/lib/x86_64-linux-gnu/gconv \
    "$root"/usr/bin/{debconf,openssl,c_rehash}* "$root"/usr/sbin/* "$root"/etc/{apt,debconf.conf,dpkg} "$root"/var/{cache,lib,log}/* \
    "$root"/etc/ca-certificates "$root"/etc/{hostname,resolv.conf,fstab}
# Mount points the container runtime fills (/dev too; mmdebstrap's device nodes go): the Swift runtime reads its
# arguments from /proc/self/cmdline.
mkdir -p "$root/proc" "$root/sys"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnonroot:x:65532:65532:nonroot:/:/usr/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
install -D -m 0755 "$binary" "$root/usr/local/bin/triggergate"
strip --strip-debug "$root/usr/local/bin/triggergate"
ldconfig -r "$root"
rm -rf "$root"/var/cache/ldconfig "$root"/dev/*

echo "== image: buildah from scratch, $archive"
tar --numeric-owner -C "$root" -cf "$work/rootfs.tar" .
container=$(buildah "${storage[@]}" from scratch)
buildah "${storage[@]}" add "$container" "$work/rootfs.tar" /
buildah "${storage[@]}" config \
    --user 65532:65532 --workingdir / --port 8443 --port 8081 --env PATH=/usr/local/bin:/usr/bin:/bin \
    --entrypoint '["/usr/local/bin/triggergate"]' --cmd serve \
    --label org.opencontainers.image.title=triggergate \
    --label "org.opencontainers.image.source=$source_url" \
    --label "org.opencontainers.image.version=$version" \
    --label "org.opencontainers.image.revision=$revision" \
    "$container"
mkdir -p "$(dirname "$archive")"
rm -f "$archive"
buildah "${storage[@]}" commit --quiet --format oci --timestamp "$created" "$container" "oci-archive:$archive:$version" >/dev/null

echo "== size (uncompressed): $(du -sh --apparent-size "$root" | cut -f1) root file system, $(du -h --apparent-size "$archive" | cut -f1) archive"
echo "== the largest files:"
find "$root" -type f -printf '%s %P\n' | sort -rn | awk 'NR <= 8 { printf "%6.1f MB  /%s\n", $1 / 1048576, $2 }'
echo "wrote $archive"
