/// The exit codes of `vigil`, documented in `docs/cli.md`.
enum ExitStatus: Int32 {
    /// Success; no drift.
    case success = 0
    /// Input errors (or warnings under `--strict`), or drift found by `--check`.
    case findings = 1
    /// Usage error.
    case usage = 64
    /// Internal error (a bug or an I/O failure).
    case internalError = 70
}
