#!/usr/bin/env bash
# Installs the tools the tests need, pinned, from NuGet: PowerShell 7.6.9 as a .NET global tool
# (~/.dotnet/tools/pwsh) and Pester 5.9.1 into a per-user folder; and, when npm is there, s3rver
# 3.7.1 (a fake S3 server for the S3-compatible mirror test) from npm into the same folder.
# Idempotent: when all are present it only checks and prints where Pester is (well under a second).
#
#   tools/install-test-tools.sh            installs, then prints the path of Pester.psd1
#   TORCHHUB_TEST_TOOLS=<dir>              where Pester goes (default ~/.local/share/torchhub-test-tools)
#
# The NuGet feed is the first enabled source `dotnet nuget list source` shows (nuget.org here).
set -euo pipefail

pwsh_version=7.6.9
pester_version=5.9.1
tools_dir="${TORCHHUB_TEST_TOOLS:-$HOME/.local/share/torchhub-test-tools}"
dotnet_tools="$HOME/.dotnet/tools"
export PATH="$PATH:$dotnet_tools"

# PowerShell: the .NET tool's store folder names the installed version.
if [ ! -d "$dotnet_tools/.store/powershell/$pwsh_version" ] || [ ! -x "$dotnet_tools/pwsh" ]; then
  if [ -x "$dotnet_tools/pwsh" ]; then
    dotnet tool update --global PowerShell --version "$pwsh_version" >&2
  else
    dotnet tool install --global PowerShell --version "$pwsh_version" >&2
  fi
fi

# Pester: the NuGet package is Chocolatey-style, the module sits in its tools/ folder.
pester_psd1="$tools_dir/pester/$pester_version/tools/Pester.psd1"
if [ ! -f "$pester_psd1" ]; then
  feed=$(dotnet nuget list source --format short 2>/dev/null | awk '$1 ~ /^E/ { print $2; exit }')
  feed="${feed:-https://api.nuget.org/v3/index.json}"
  mkdir -p "$tools_dir"
  staging=$(mktemp -d "$tools_dir/.staging.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  # A repository registered for this call only, so the user's PSResourceGet settings stay as they were.
  TORCHHUB_FEED="$feed" TORCHHUB_STAGING="$staging" PESTER_VERSION="$pester_version" \
    pwsh -NoProfile -NonInteractive -Command '
      $ErrorActionPreference = "Stop"
      $name = "TorchHubTestTools-$PID"
      Register-PSResourceRepository -Name $name -Uri $env:TORCHHUB_FEED -Trusted
      try { Save-PSResource -Name Pester -Version $env:PESTER_VERSION -Repository $name -Path $env:TORCHHUB_STAGING -TrustRepository }
      finally { Unregister-PSResourceRepository -Name $name }' >&2
  mkdir -p "$tools_dir/pester"
  rm -rf "$tools_dir/pester/$pester_version"
  mv "$staging/pester/$pester_version" "$tools_dir/pester/$pester_version"
fi

# s3rver: optional (its test is skipped with the reason when it is missing).
s3rver_version=3.7.1
if command -v npm >/dev/null 2>&1 && [ ! -x "$tools_dir/s3rver/node_modules/.bin/s3rver" ]; then
  mkdir -p "$tools_dir/s3rver"
  npm install --prefix "$tools_dir/s3rver" --no-audit --no-fund --loglevel=error "s3rver@$s3rver_version" >&2 \
    || echo "s3rver $s3rver_version could not be installed; the S3-compatible mirror test will be skipped" >&2
fi

echo "$pester_psd1"
