//! Embeds the default rule set's fixture articles (rules/tests/*) so that
//! `sourcecheck rules init` can write them next to the rule files.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("rules/tests");
    println!("cargo:rerun-if-changed=rules/tests");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "md" || e == "txt"));
    files.sort();
    let mut code = String::from("/// Fixture articles of the default rule set: (file name, text).\npub const DEFAULT_FIXTURES: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let abs = std::fs::canonicalize(f).expect("fixture path");
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .expect("fixture name");
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .expect("write to string");
    }
    code.push_str("];\n");
    let out =
        std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("fixtures.rs");
    std::fs::write(out, code).expect("write fixtures.rs");
}
