//! The layer rule (docs/ARCHITECTURE.md): every file of the library may
//! import (by a `crate::` path) only modules of its own layer's allowed
//! set, and no experiment imports another experiment. This test reads each
//! file under `src/`, collects its `crate::` paths outside comments and
//! `#[cfg(test)]` modules, and fails on an edge the table forbids.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may import modules of its own layer
/// or any layer below. `experiment` is special: an experiment may not import
/// a sibling experiment (shared pieces move down).
const LAYERS: &[(&str, &[&str])] = &[
    ("0 base", &["error", "tier"]),
    ("1 random and statistics", &["random", "dist", "sampling", "stats"]),
    ("2 models", &["model"]),
    ("3 runner", &["runner"]),
    ("4 experiments", &["experiment"]),
    ("5 scenario (the file format)", &["scenario"]),
    ("6 studies (scenario in, record out)", &["study"]),
    ("7 reports (rendering only)", &["report"]),
];

/// The layer of a top-level module, or `None` for one the table does not know.
fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

/// The module path of a source file: `src/model/career/mod.rs` is
/// `model::career`, `src/lib.rs` is the crate root (empty).
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix("src").unwrap_or(file);
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without comments and without its `#[cfg(test)]`
/// module (unit tests may use the runner to test a model).
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let line = line.split(" // ").next().unwrap_or(line);
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// Every module path a file's code names after `crate::`, to two segments
/// (`crate::model::career::X` gives `["model", "career"]`), with `use
/// crate::{a::b, c}` groups expanded.
fn imports(code: &str) -> BTreeSet<Vec<String>> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$') {
            continue; // `$crate::` or `foo_crate::`
        }
        let heads: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(',').map(str::trim).collect()
        } else {
            vec![rest]
        };
        for head in heads {
            let first = ident(head);
            if first.is_empty() {
                continue;
            }
            let mut path = vec![first.clone()];
            if let Some(after) = head[first.len()..].strip_prefix("::") {
                let second = ident(after);
                if !second.is_empty() && second.chars().next().is_some_and(char::is_lowercase) {
                    path.push(second);
                }
            }
            found.insert(path);
        }
    }
    found
}

/// The edges that break the rule, in words, for files given as `(path, text)`.
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (file, text) in files {
        let own = module_of(file);
        let Some(top) = own.first() else { continue }; // lib.rs re-exports the API
        let Some(own_layer) = layer(top) else {
            wrong.push(format!("{}: module `{top}` is in no layer of the table", file.display()));
            continue;
        };
        for path in imports(&code_of(text)) {
            let Some(their_layer) = layer(&path[0]) else {
                let why = if path[0].starts_with(char::is_uppercase) {
                    "a re-export at the crate root: name its module, so the layer shows"
                } else {
                    "a module in no layer of the table"
                };
                wrong.push(format!("{}: imports `crate::{}`, {why}", file.display(), path.join("::")));
                continue;
            };
            if their_layer > own_layer {
                wrong.push(format!(
                    "{} (layer {}) imports `crate::{}` (layer {}): a layer imports only its own and lower ones",
                    file.display(),
                    LAYERS[own_layer].0,
                    path.join("::"),
                    LAYERS[their_layer].0
                ));
            }
            let sibling = top == "experiment"
                && path[0] == "experiment"
                && path.get(1).is_some_and(|theirs| own.get(1) != Some(theirs));
            if sibling {
                wrong.push(format!(
                    "{} imports `crate::{}`: no experiment imports another (move the shared piece down)",
                    file.display(),
                    path.join("::")
                ));
            }
        }
    }
    wrong
}

/// Every `.rs` file under `dir` except the binary's, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.starts_with("src/bin") {
                let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_import_follows_the_layer_table() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).expect("the crate's directory");
    let files = sources(Path::new("src"));
    assert!(files.len() > 30, "found only {} source files", files.len());
    let wrong = violations(&files);
    assert!(wrong.is_empty(), "{} imports break the layer rule:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_rule_catches_a_forbidden_import_a_sibling_experiment_and_a_grouped_use() {
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_string());
    let files = vec![
        // A model importing the scenario layer: upward.
        file("src/model/career/mod.rs", "use crate::error::FieldError;\nuse crate::scenario::Scenario;\n"),
        // An experiment importing another experiment.
        file(
            "src/experiment/rare.rs",
            "use crate::experiment::rare::Rare;\nfn f() { crate::experiment::attribute::x() }\n",
        ),
        // A grouped use reaching up to the studies.
        file("src/runner.rs", "use crate::{model::Model, study::run::RunRecord};\n"),
        // Comments, `$crate`, a test module and lower layers are fine.
        file(
            "src/stats/mod.rs",
            "// crate::report::x\n/// [`crate::study`]\nuse crate::tier::Tier; // crate::report\nmacro_rules! m { () => { $crate::report::x } }\n#[cfg(test)]\nmod tests { use crate::runner::Runner; }\n",
        ),
    ];
    let wrong = violations(&files);
    assert_eq!(wrong.len(), 3, "{wrong:#?}");
    assert!(wrong[0].contains("model/career/mod.rs") && wrong[0].contains("crate::scenario"), "{}", wrong[0]);
    assert!(
        wrong[1].contains("crate::experiment::attribute") && wrong[1].contains("no experiment"),
        "{}",
        wrong[1]
    );
    assert!(wrong[2].contains("runner.rs") && wrong[2].contains("crate::study::run"), "{}", wrong[2]);
}
