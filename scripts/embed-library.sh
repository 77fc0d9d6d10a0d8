#!/usr/bin/env bash
# Regenerates Sources/VigilCompiler/Library/EmbeddedLibrary.swift from baselines/, overlays/ and
# templates/ (the copy of the shipped library that `vigil` uses when vigil.yaml names none), then
# checks it. Run after changing the library; commit the result with the YAML.
set -euo pipefail
cd "$(dirname "$0")/.."
UPDATE_GOLDEN=1 swift test --filter 'EmbeddedLibraryTests/fresh'
swift test --filter EmbeddedLibraryTests
