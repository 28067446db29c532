#!/bin/sh
# Provisions the base image (images/base): small, non-interactive Debian defaults shared by every image.
set -eu

# apt: no recommends, no documentation, no translations: images stay small.
cat > /etc/apt/apt.conf.d/90pipeline <<'CONF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
CONF
cat > /etc/dpkg/dpkg.cfg.d/90pipeline-nodoc <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CONF
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/locale/*

# Start-up hooks run by the entrypoint before the command (e.g. rendering a configuration template).
mkdir -p /etc/pipeline/entrypoint.d
printf 'PIPELINE_BASE=%s\n' "${BASE_RELEASE:-1}" > /etc/pipeline/release
