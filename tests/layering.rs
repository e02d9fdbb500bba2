//! The layering, enforced: dependencies point inward, from the adapters to the call core to
//! the office's facts, and no two modules depend on each other, directly or around a loop.
//!
//! It reads the sources (every `crate::module` path and `use super::` of a top-level file),
//! so a new import that breaks the layering fails here, whatever compiles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Inner to outer; a module may use modules of its own layer or any inner one.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundations", &["phone", "db", "metrics", "secret"]),
    ("the office's facts", &["office", "knowledge"]),
    ("the core", &["call"]),
    (
        "adapters",
        &["brain", "rent_manager", "directory", "outbox", "twilio", "staff", "health", "retention", "mail"],
    ),
    ("assembly", &["config", "softphone", "startup"]),
];

/// The core's pure files: the machine, the reading, the lines, the effects. They see only
/// the office's facts, never a database, a clock, the network or a runtime.
const PURE: &[&str] = &[
    "mod.rs", "machine.rs", "machine/emergency.rs", "machine/request.rs", "machine/details.rs",
    "machine/message.rs", "machine/tests.rs", "summary.rs", "machine/tests/emergencies.rs",
    "machine/tests/spanish.rs", "follow_up.rs", "reference.rs", "lines.rs", "reading.rs", "rules.rs",
    "heard.rs", "hazards.rs", "hazards/en.rs", "hazards/es.rs", "hazards/es/tests.rs", "rules/es.rs",
    "rules/es/phone.rs", "rules/es/words.rs", "language.rs", "vet.rs", "vet/summary.rs", "effects.rs",
    "pause.rs", "worth.rs", "hold.rs", "report.rs", "lines/es.rs", "lines/worded.rs", "summary/es.rs",
    "vet/es.rs", "machine/tests/craft.rs",
];
const PURE_MAY_USE: &[&str] = &["phone", "office", "knowledge", "call"];
const NOT_PURE: &[&str] =
    &["sqlx::", "tokio::", "reqwest::", "rocket::", "async_openai::", "std::time::Instant"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level module a file belongs to; `None` for the crate root and the binaries,
/// which declare and assemble everything (Rocket hands adapters the assembled `App`).
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src()).unwrap();
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" | "bin" => None,
        name => Some(name.trim_end_matches(".rs").to_string()),
    }
}

/// The modules a file names: `crate::x` anywhere (imports and full paths alike).
fn uses(text: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() {
            used.insert(name);
        }
    }
    used
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&src()) {
        let Some(module) = module_of(&file) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(uses(&text).into_iter().filter(|used| *used != module));
    }
    graph
}

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer: add it to LAYERS in tests/layering.rs"))
}

#[test]
fn every_dependency_points_inward() {
    let mut wrong = Vec::new();
    for (module, used) in graph() {
        for dependency in used {
            // The crate root's own items (`App`, `Outside`): the assembly, for adapters only.
            if dependency.starts_with(char::is_uppercase) {
                if layer(&module) < layer("brain") {
                    wrong.push(format!("{module} uses the assembly's {dependency}"));
                }
                continue;
            }
            if layer(&dependency) > layer(&module) {
                let name = |m: &str| LAYERS[layer(m)].0;
                wrong.push(format!("{module} ({}) uses {dependency} ({})", name(&module), name(&dependency)));
            }
        }
    }
    assert!(wrong.is_empty(), "dependencies pointing outward:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_depend_on_each_other_around_a_loop() {
    let graph = graph();
    // Depth-first search; a module met again while still on the path closes a cycle.
    fn visit<'a>(
        module: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| *m == module) {
            let mut cycle: Vec<String> = path[start..].iter().map(|m| m.to_string()).collect();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        if !done.insert(module) {
            return None;
        }
        path.push(module);
        // The root's items (`App`) are the assembly, which uses everything by design.
        let modules = graph.get(module).into_iter().flatten().filter(|m| !m.starts_with(char::is_uppercase));
        for next in modules {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("module cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_cores_pure_files_see_only_the_offices_facts() {
    let core = src().join("call");
    for name in PURE {
        let text = std::fs::read_to_string(core.join(name)).unwrap();
        for used in uses(&text) {
            assert!(PURE_MAY_USE.contains(&used.as_str()), "call/{name} uses crate::{used}");
        }
        for path in NOT_PURE {
            assert!(!text.contains(path), "call/{name} uses {path}");
        }
    }
}

#[test]
fn the_check_itself_sees_imports_and_full_paths() {
    let text = "use crate::call::{Call, turn};\nfn f(x: crate::office::Office) {}\nuse super::twiml;";
    assert_eq!(uses(text), BTreeSet::from(["call".to_string(), "office".to_string()]));
}
