//! The `sourcecheck` binary: a thin shell around the library's command line.

fn main() {
    std::process::exit(sourcecheck::cli::main());
}
