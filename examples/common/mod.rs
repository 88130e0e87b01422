//! What the coverage examples share: reading their one argument.

/// The replicates per cell from the first command-line argument: `default`
/// when it is absent; a whole number of at least `least`, or a clear message
/// and exit code 2.
pub fn replicates_arg(default: u64, least: u64) -> u64 {
    let Some(text) = std::env::args().nth(1) else {
        return default;
    };
    match text.parse() {
        Ok(r) if r >= least => r,
        _ => {
            eprintln!("replicates per cell must be a whole number of at least {least}, not {text:?}");
            std::process::exit(2);
        }
    }
}
