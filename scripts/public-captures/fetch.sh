#!/usr/bin/env bash
# fetch.sh [CACHE]: downloads the Debian source packages of other projects whose test suites carry
# packet captures (tcpdump, libpcap, wireshark, scapy, dpkt, gopacket, ...), unpacks them under CACHE
# (default ~/.cache/teardown-public-captures, outside the repository) and copies every capture into
# CACHE/captures/PACKAGE/PATH. It writes CACHE/manifest.tsv (file, package, version, licence,
# sha256, homepage: where the capture comes from); scripts/public-captures/manifest.tsv in the
# repository is that file as last checked in.
#
# The system's apt configuration is left untouched: a private sources list with a deb-src line and
# private list/cache directories live under CACHE/apt. Only Debian's mirror is contacted.
set -euo pipefail
cache=${1:-${TEARDOWN_CAPTURES:-$HOME/.cache/teardown-public-captures}}
suite=${SUITE:-bookworm}
# package -> licence of its test captures as the package states it (debian/copyright of the source).
declare -A licence=(
  [tcpdump]="BSD-3-Clause"
  [libpcap]="BSD-3-Clause"
  [wireshark]="GPL-2.0-or-later"
  [scapy]="GPL-2.0-only"
  [python-dpkt]="BSD-3-Clause"
  [golang-github-gopacket-gopacket]="BSD-3-Clause"
  [libtins]="BSD-2-Clause"
  [ndpi]="LGPL-3.0-or-later"
  [tcpreplay]="GPL-3.0-only"
  [tcpflow]="GPL-3.0-only"
)
# Zeek, Suricata, PcapPlusPlus and packetnet have no source package in bookworm's main.
packages=${PACKAGES:-"tcpdump libpcap wireshark scapy python-dpkt golang-github-gopacket-gopacket libtins ndpi tcpreplay tcpflow"}

apt="$cache/apt"
mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/etc" "$cache/src" "$cache/captures"
echo "deb-src http://deb.debian.org/debian $suite main" > "$apt/etc/sources.list"
opts=(-o "Dir::Etc::SourceList=$apt/etc/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
      -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache::Archives=$apt/archives"
      -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "APT::Sandbox::User=root"
      -o "Debug::NoLocking=1")
timeout 600 apt-get "${opts[@]}" -qq update

manifest="$cache/manifest.tsv"
printf 'file\tpackage\tversion\tlicence\tsha256\thomepage\n' > "$manifest.new"
for pkg in $packages; do
  dir="$cache/src/$pkg"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    # A package the mirror does not serve is left out with a warning, not the whole run. The
    # captures are in the upstream tarball: a mirror that serves it but not Debian's own tarball
    # (some answer 404 for one and not the other) is enough.
    if ! (cd "$dir" && timeout 900 apt-get "${opts[@]}" -qq source --download-only "$pkg" 2>/dev/null); then
      if ! ls "$dir"/*.orig*.tar.* >/dev/null 2>&1; then
        echo "fetch.sh: $pkg: not downloaded, left out" >&2; rm -rf "$dir"; continue
      fi
      echo "fetch.sh: $pkg: Debian's tarball missing, the upstream one used" >&2
    fi
    dsc=$(ls "$dir"/*.dsc | head -1)
    (cd "$dir" && dpkg-source --no-check --no-copy -x "$(basename "$dsc")" tree >/dev/null 2>&1 \
      || { mkdir -p tree; for t in "$dir"/*.orig*.tar.*; do tar -xf "$t" -C tree --strip-components=1; done; })
    basename "$dsc" .dsc | sed 's/^[^_]*_//' > "$dir/.version"
    sed -n 's/^Homepage: *//p' "$dsc" | head -1 > "$dir/.homepage"
    rm -f "$dir"/*.tar.* "$dir"/*.dsc
    touch "$dir/.done"
  fi
  version=$(cat "$dir/.version")
  homepage=$(cat "$dir/.homepage" 2>/dev/null || true)
  # Captures by their magic numbers, not their names: pcap (both byte orders, µs and ns), pcapng.
  find "$dir/tree" -type f -size -64M -print0 | sort -z | while IFS= read -r -d '' f; do
    magic=$(head -c4 "$f" | od -An -tx1 | tr -d ' \n')
    # gzip: the capture's magic is the decompressed file's (tshark and teardown both read it).
    case "$magic" in 1f8b*) magic=$( (gzip -dc "$f" 2>/dev/null || true) | head -c4 | od -An -tx1 | tr -d ' \n') ;; esac
    case "$magic" in
      d4c3b2a1|a1b2c3d4|4d3cb2a1|a1b23c4d|0a0d0d0a) ;;
      *) continue ;;
    esac
    rel=${f#"$dir/tree/"}
    dest="$cache/captures/$pkg/$rel"
    mkdir -p "$(dirname "$dest")"; cp -p "$f" "$dest"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$pkg/$rel" "$pkg" "$version" "${licence[$pkg]:-see debian/copyright}" \
      "$(sha256sum < "$f" | cut -d' ' -f1)" "$homepage" >> "$manifest.new"
  done
done
mv "$manifest.new" "$manifest"
echo "$(($(wc -l < "$manifest") - 1)) captures under $cache/captures; manifest $manifest"
