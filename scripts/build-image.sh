#!/usr/bin/env bash
# Builds the kai container image (one image for every component; the Helm chart runs it) as an OCI archive,
# without Docker: a self-contained `kai` on a minimal Debian runtime (glibc, libstdc++, zlib, OpenSSL, CA bundle,
# time zones), run as the non-root user 1654. Needs dotnet, apt-get (to download the runtime packages), umoci and
# skopeo (apt-get install umoci skopeo).
#
#   scripts/build-image.sh [tag]            -> out/image/kai-<tag>.tar (OCI archive)
#   skopeo copy oci-archive:out/image/kai-<tag>.tar docker://<registry>/kai:<tag>    (push)
#
# Environment: IMAGE_REPOSITORY (default ghcr.io/kai-scheduler-dotnet/kai, the chart's default), OUT (default out/image).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tag="${1:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/deploy/helm/kai-scheduler/Chart.yaml")}"
repository="${IMAGE_REPOSITORY:-ghcr.io/kai-scheduler-dotnet/kai}"
out="${OUT:-$root/out/image}"
packages=(libc6 libgcc-s1 libstdc++6 zlib1g libssl3 ca-certificates tzdata)

for tool in dotnet apt-get dpkg-deb umoci skopeo; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is required (apt-get install umoci skopeo for the image tools)" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "1/4 publishing kai (self-contained, linux-x64)"
dotnet publish "$root/src/Kai.Cli" -c Release -r linux-x64 --self-contained -p:InvariantGlobalization=true \
  -p:DebugType=none -o "$work/publish" --nologo -v quiet

echo "2/4 runtime root file system from Debian packages: ${packages[*]}"
mkdir -p "$work/debs" "$work/rootfs"
( cd "$work/debs" && apt-get download -qq "${packages[@]}" )
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/rootfs"; done
rm -rf "$work/rootfs/usr/share/doc" "$work/rootfs/usr/share/man" "$work/rootfs/usr/share/lintian"
# The CA bundle is generated at package install time; take the build machine's.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$work/rootfs/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/"
fi
mkdir -p "$work/rootfs/tmp" "$work/rootfs/app" && chmod 1777 "$work/rootfs/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/app:/sbin/nologin\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' > "$work/rootfs/etc/group"
cp -a "$work/publish/." "$work/rootfs/app/"

# DOTNET_TC_CallCountingDelayMs=0: a scheduler that starts (or takes over as leader) meets its backlog at once, and
# with the runtime's 100 ms delay its hot paths stayed unoptimised through that burst (docs/kubernetes.md, "The
# runtime's settings"). Not in kai's runtimeconfig: short commands (kai simulate) pay for the earlier tier-up.
echo "3/4 OCI image $repository:$tag"
rootless=()
[ "$(id -u)" -ne 0 ] && rootless=(--rootless)
umoci init --layout "$work/oci"
umoci new --image "$work/oci:$tag"
umoci unpack "${rootless[@]}" --image "$work/oci:$tag" "$work/bundle"
cp -a "$work/rootfs/." "$work/bundle/rootfs/"
umoci repack --image "$work/oci:$tag" "$work/bundle"
umoci config --image "$work/oci:$tag" --os linux --architecture amd64 \
  --config.user 1654:1654 --config.workingdir /app --config.entrypoint /app/kai --config.cmd run \
  --config.env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 --config.env DOTNET_gcServer=0 \
  --config.env DOTNET_TC_CallCountingDelayMs=0 \
  --config.label "org.opencontainers.image.title=kai" --config.label "org.opencontainers.image.version=$tag"

echo "4/4 writing the archive"
mkdir -p "$out"
rm -f "$out/kai-$tag.tar"
skopeo copy --quiet "oci:$work/oci:$tag" "oci-archive:$out/kai-$tag.tar:$repository:$tag"
echo "built $out/kai-$tag.tar ($repository:$tag, $(du -h "$out/kai-$tag.tar" | cut -f1))"
