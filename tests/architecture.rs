//! The code map's rules, checked on the source: no circle of imports between
//! the files of `src/tui` or of `src/server`, views that import no update or
//! sync code, and no source file over 800 lines (data tables excepted).
//!
//! It reads the source text, not the compiler's view: every `use` tree and
//! every qualified path in code (`crate::…`, `super::…`, `self::…`) names the
//! deepest module file it reaches, and that is an edge. Test modules
//! (`#[cfg(test)]`, `tests.rs`, `*_tests.rs`) are left out: tests may reach
//! anything. ARCHITECTURE.md describes the rules this enforces.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files allowed past the size limit: tables of data, not logic.
const DATA_TABLES: &[&str] = &["src/server/seed/tables.rs"];
const MAX_LINES: usize = 800;

#[test]
fn no_import_circles_in_the_desk_or_the_server() {
    let graph = Graph::read(Path::new("src"));
    for tree in ["crate::tui", "crate::server"] {
        let circles = graph.circles_within(tree);
        assert!(
            circles.is_empty(),
            "import circles inside {tree} (each line: files that reach each other):\n{}",
            circles
                .iter()
                .map(|c| format!("  {}", c.join(" <-> ")))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn views_import_no_update_or_sync_code() {
    let graph = Graph::read(Path::new("src"));
    let mut wrong = Vec::new();
    for (module, deps) in &graph.edges {
        if !module.starts_with("crate::tui::view") {
            continue;
        }
        for dep in deps {
            let last = dep.rsplit("::").next().unwrap_or_default();
            if last == "update" || last.ends_with("_update") || dep.contains("::local") {
                wrong.push(format!("{module} -> {dep}"));
            }
        }
    }
    assert!(wrong.is_empty(), "views must only read state: {wrong:#?}");
}

#[test]
fn no_source_file_is_over_the_size_limit() {
    let mut long = Vec::new();
    for file in rust_files(Path::new("src")) {
        let shown = file.to_string_lossy().replace('\\', "/");
        if DATA_TABLES.iter().any(|t| shown.ends_with(t)) {
            continue;
        }
        let lines = std::fs::read_to_string(&file)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines > MAX_LINES {
            long.push(format!("{shown}: {lines} lines"));
        }
    }
    assert!(
        long.is_empty(),
        "split these files (over {MAX_LINES} lines): {long:#?}"
    );
}

#[test]
fn the_checker_sees_a_circle_and_a_use_tree() {
    // The checker itself: two files that reach each other are one circle, and
    // nested use trees name every module inside them.
    let source = |m: &str, text: &str| (m.to_string(), text.to_string());
    let graph = Graph::from_sources(vec![
        source("crate::tui::a", "use super::b::X;\nfn f() {}"),
        source("crate::tui::b", "use crate::tui::{a, c::{self, Y}};"),
        source("crate::tui::c", "fn g() { super::a::f(); }"),
        source(
            "crate::tui::d",
            "#[cfg(test)]\nmod tests { use super::super::a; }",
        ),
    ]);
    let circles = graph.circles_within("crate::tui");
    assert_eq!(
        circles,
        vec![vec![
            "crate::tui::a".to_string(),
            "crate::tui::b".to_string(),
            "crate::tui::c".to_string()
        ]]
    );
    assert!(graph.edges["crate::tui::d"].is_empty());
}

/// Module (one per file) → the modules it reaches.
#[derive(Default)]
struct Graph {
    modules: BTreeSet<String>,
    sources: BTreeMap<String, String>,
    edges: BTreeMap<String, BTreeSet<String>>,
}

impl Graph {
    fn read(root: &Path) -> Graph {
        let sources = rust_files(root)
            .into_iter()
            .filter(|file| !is_test_file(file))
            .map(|file| {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                (module_of(root, &file), text)
            })
            .collect();
        Graph::from_sources(sources)
    }

    /// The graph of modules given as (module path, source text).
    fn from_sources(sources: Vec<(String, String)>) -> Graph {
        let mut graph = Graph::default();
        for (module, text) in sources {
            graph.modules.insert(module.clone());
            graph
                .sources
                .insert(module, without_tests(&strip_comments(&text)));
        }
        graph.edges = graph
            .sources
            .iter()
            .map(|(m, text)| (m.clone(), graph.edges_of(m, text)))
            .collect();
        graph
    }

    fn edges_of(&self, module: &str, text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for path in paths_in(text) {
            if let Some(target) = self.resolve(module, &path) {
                if target != module {
                    out.insert(target);
                }
            }
        }
        out
    }

    /// The deepest known module `path` (as written in `module`) names.
    fn resolve(&self, module: &str, path: &[String]) -> Option<String> {
        let mut parts: Vec<String> = module.split("::").map(str::to_string).collect();
        let mut rest = path.iter().peekable();
        match rest.peek().map(|s| s.as_str()) {
            Some("crate") => {
                parts = vec!["crate".to_string()];
                rest.next();
            }
            Some("self") => {
                rest.next();
            }
            Some("super") => {
                while rest.peek().map(|s| s.as_str()) == Some("super") {
                    rest.next();
                    parts.pop();
                }
            }
            _ => return None,
        }
        let mut best = None;
        let candidate = parts.join("::");
        if self.modules.contains(&candidate) {
            best = Some(candidate);
        }
        for segment in rest {
            parts.push(segment.clone());
            let candidate = parts.join("::");
            if self.modules.contains(&candidate) {
                best = Some(candidate);
            }
        }
        best
    }

    /// Groups of modules under `tree` that reach each other (Tarjan).
    fn circles_within(&self, tree: &str) -> Vec<Vec<String>> {
        let inside = |m: &String| m == tree || m.starts_with(&format!("{tree}::"));
        let nodes: Vec<&String> = self.modules.iter().filter(|m| inside(m)).collect();
        let mut tarjan = Tarjan::default();
        for node in &nodes {
            if !tarjan.index.contains_key(*node) {
                tarjan.visit(node, self, &inside);
            }
        }
        let mut circles: Vec<Vec<String>> = tarjan
            .components
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        circles.sort();
        circles
    }
}

#[derive(Default)]
struct Tarjan {
    next: usize,
    index: BTreeMap<String, usize>,
    low: BTreeMap<String, usize>,
    stack: Vec<String>,
    on_stack: BTreeSet<String>,
    components: Vec<Vec<String>>,
}

impl Tarjan {
    fn visit(&mut self, node: &str, graph: &Graph, inside: &dyn Fn(&String) -> bool) {
        self.index.insert(node.to_string(), self.next);
        self.low.insert(node.to_string(), self.next);
        self.next += 1;
        self.stack.push(node.to_string());
        self.on_stack.insert(node.to_string());
        for dep in graph.edges.get(node).into_iter().flatten() {
            if !inside(dep) {
                continue;
            }
            if !self.index.contains_key(dep) {
                self.visit(dep, graph, inside);
                let low = self.low[node].min(self.low[dep]);
                self.low.insert(node.to_string(), low);
            } else if self.on_stack.contains(dep) {
                let low = self.low[node].min(self.index[dep]);
                self.low.insert(node.to_string(), low);
            }
        }
        if self.low[node] == self.index[node] {
            let mut component = Vec::new();
            while let Some(top) = self.stack.pop() {
                self.on_stack.remove(&top);
                let done = top == node;
                component.push(top);
                if done {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn is_test_file(file: &Path) -> bool {
    let name = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    name == "tests" || name.ends_with("_tests") || name == "testutil"
}

/// `src/tui/forms/mod.rs` → `crate::tui::forms`; `src/lib.rs` → `crate`.
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut parts = vec!["crate".to_string()];
    for component in relative.components() {
        let name = component.as_os_str().to_string_lossy();
        let name = name.trim_end_matches(".rs");
        if !matches!(name, "mod" | "lib" | "main") {
            parts.push(name.to_string());
        }
    }
    parts.join("::")
}

/// The text without `//` comments and string literals' contents (so a path
/// inside a doc or a message is not an import).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut prev = ' ';
        for c in line.chars() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                    out.push('"');
                }
                prev = c;
                continue;
            }
            if c == '/' && prev == '/' {
                out.pop();
                break;
            }
            if c == '"' {
                in_string = true;
            }
            out.push(c);
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The text without `#[cfg(test)]` items: a `mod x;` line, or a braced block.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let semi = after.find(';');
        let brace = after.find('{');
        rest = match (semi, brace) {
            (Some(s), Some(b)) if s < b => &after[s + 1..],
            (Some(s), None) => &after[s + 1..],
            (_, Some(b)) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                &after[end..]
            }
            (None, None) => "",
        };
    }
    out.push_str(rest);
    out
}

/// Every path that starts at `crate`, `super` or `self`, with use trees
/// (`a::{b, c::{d}}`) expanded into one path per leaf.
fn paths_in(text: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if starts_word {
            for root in ["crate", "super", "self"] {
                if matches_at(&chars, i, root) && matches_at(&chars, i + root.len(), "::") {
                    let (paths, end) = use_tree(&chars, i);
                    out.extend(paths);
                    i = end;
                    break;
                }
            }
        }
        i += 1;
    }
    out
}

fn matches_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, c)| chars.get(at + k) == Some(&c))
}

/// Reads a path or use tree starting at `at`: the leaf paths and where it ends.
fn use_tree(chars: &[char], at: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = at;
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if chars.get(i) == Some(&'{') {
            let mut out = Vec::new();
            i += 1;
            loop {
                while chars.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                    i += 1;
                }
                match chars.get(i) {
                    None => return (out, i),
                    Some('}') => return (out, i + 1),
                    _ => {}
                }
                let (inner, end) = use_tree(chars, i);
                for path in inner {
                    let mut full = prefix.clone();
                    full.extend(path.into_iter().filter(|s| s != "self"));
                    out.push(full);
                }
                if end == i {
                    i += 1;
                } else {
                    i = end;
                }
            }
        }
        let start = i;
        while chars
            .get(i)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '*')
        {
            i += 1;
        }
        if i == start {
            return (vec![prefix], i);
        }
        let segment: String = chars[start..i].iter().collect();
        if segment != "*" {
            prefix.push(segment);
        }
        if matches_at(chars, i, "::") {
            i += 2;
        } else {
            return (vec![prefix], i);
        }
    }
}
