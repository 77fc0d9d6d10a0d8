#!/usr/bin/env bash
# Regenerates every golden file (writer samples, render fixtures), then runs the same tests
# without recording so you see they pass. Review the result with `git diff` like code.
set -euo pipefail
cd "$(dirname "$0")/.."
UPDATE_GOLDEN=1 swift test --filter 'GoldenTests|CanonicalWriterTests|EmbeddedLibraryTests|DiffTests'
swift test --filter 'GoldenTests|CanonicalWriterTests|EmbeddedLibraryTests|DiffTests'
swift run vigil render --root examples
git status --short -- Tests examples/out
