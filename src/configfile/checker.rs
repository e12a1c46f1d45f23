//! Checks one file: parses it into a placed tree and collects its problems,
//! each placed at a byte offset turned into `line:col`.

use super::tree::{self, Node, Table};
use super::{hint, ConfigError};

/// One file being checked: its name for messages, its text, and the problems
/// found so far.
#[derive(Debug)]
pub struct Checker {
    path: String,
    text: String,
    errors: Vec<ConfigError>,
}

impl Checker {
    /// A checker for `text`, read from `path` (any label: a shipped file is
    /// named by its place in the source tree).
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Checker {
        Checker {
            path: path.into(),
            text: text.into(),
            errors: Vec::new(),
        }
    }

    /// The file's top table; `None` when it is not TOML, with the syntax
    /// error reported.
    pub fn parse(&mut self) -> Option<Table> {
        match toml_edit::ImDocument::parse(self.text.as_str()) {
            Ok(document) => Some(tree::root(&document)),
            Err(e) => {
                let at = e.span().map_or(0, |span| span.start);
                let message = e.message().trim().replace('\n', "; ");
                self.report(at, message);
                None
            }
        }
    }

    /// The file's name as used in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line and column (in characters) of byte offset `at`.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    }

    /// A problem at byte offset `at`, not yet reported (for a problem found
    /// later, e.g. once another file is read).
    pub fn error_at(&self, at: usize, message: impl Into<String>) -> ConfigError {
        let (line, column) = self.line_col(at);
        ConfigError {
            path: self.path.clone(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Reports a problem at byte offset `at`.
    pub fn report(&mut self, at: usize, message: impl Into<String>) {
        let error = self.error_at(at, message);
        self.errors.push(error);
    }

    /// Reports a name that is not one of `known`, with the did-you-mean (see
    /// [`super::unknown`]): "unknown {what} `{got}` (did you mean `x`?)".
    pub fn unknown<'a>(
        &mut self,
        at: usize,
        what: &str,
        got: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) {
        self.report(at, hint::unknown(what, got, known));
    }

    /// The text of `node`; otherwise reports `wrong` at it.
    pub fn text<'n>(&mut self, node: &'n Node, wrong: &str) -> Option<&'n str> {
        let text = node.as_str();
        if text.is_none() {
            self.report(node.at, wrong);
        }
        text
    }

    /// The table `node` is; otherwise reports `wrong` at it.
    pub fn table<'n>(&mut self, node: &'n Node, wrong: &str) -> Option<&'n Table> {
        let table = node.as_table();
        if table.is_none() {
            self.report(node.at, wrong);
        }
        table
    }

    /// The items of the list `node` is; otherwise reports `wrong` at it.
    pub fn list<'n>(&mut self, node: &'n Node, wrong: &str) -> Option<&'n [Node]> {
        let items = node.as_list();
        if items.is_none() {
            self.report(node.at, wrong);
        }
        items
    }

    /// The whole number `node` is, if it fits `T` (e.g. `u64` for a count
    /// that cannot be negative); otherwise reports `wrong` at it.
    pub fn number<T: TryFrom<i64>>(&mut self, node: &Node, wrong: &str) -> Option<T> {
        let number = node.as_int().and_then(|n| T::try_from(n).ok());
        if number.is_none() {
            self.report(node.at, wrong);
        }
        number
    }

    /// Whether any problem has been reported.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every problem reported, in the order found.
    pub fn into_errors(self) -> Vec<ConfigError> {
        self.errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configfile::Value;

    fn shown(checker: Checker) -> Vec<String> {
        checker
            .into_errors()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn keys_and_values_keep_their_places_in_every_spelling() {
        let text = "top = \"a\"\n\
                    [outer.inner]\n\
                    dotted.leaf = 1\n\
                    inline = { x = true, list = [1, \"two\"] }\n\
                    [[many]]\n\
                    name = \"é\"\n\
                    [[many]]\n\
                    name = 2\n";
        let mut checker = Checker::new("f.toml", text);
        let root = checker.parse().expect("valid");
        let place = |at| checker.line_col(at);
        let top = root.get("top").expect("top");
        assert_eq!((place(top.key_at), place(top.node.at)), ((1, 1), (1, 7)));
        let outer = root.get("outer").expect("outer");
        assert_eq!(place(outer.key_at), (2, 2));
        let inner = outer
            .node
            .as_table()
            .and_then(|t| t.get("inner"))
            .expect("inner");
        assert_eq!(place(inner.key_at), (2, 8));
        let inner = inner.node.as_table().expect("a table");
        let dotted = inner.get("dotted").expect("dotted");
        let leaf = dotted
            .node
            .as_table()
            .and_then(|t| t.get("leaf"))
            .expect("leaf");
        assert_eq!((place(leaf.key_at), leaf.node.as_int()), ((3, 8), Some(1)));
        let inline = inner
            .get("inline")
            .expect("inline")
            .node
            .as_table()
            .expect("table");
        let x = inline.get("x").expect("x");
        assert_eq!(
            (place(x.node.at), &x.node.value),
            ((4, 16), &Value::Bool(true))
        );
        let list = inline
            .get("list")
            .expect("list")
            .node
            .as_list()
            .expect("list");
        let items: Vec<_> = list.iter().map(|n| (place(n.at), n.shown())).collect();
        assert_eq!(items, [((4, 30), "1".into()), ((4, 33), "two".into())]);
        let many = root
            .get("many")
            .expect("many")
            .node
            .as_list()
            .expect("tables");
        let names: Vec<_> = many
            .iter()
            .map(|t| {
                let name = t.as_table().and_then(|t| t.get("name")).expect("name");
                (place(name.node.at), name.node.shown())
            })
            .collect();
        assert_eq!(names, [((6, 8), "é".into()), ((8, 8), "2".into())]);
    }

    #[test]
    fn a_syntax_error_is_one_placed_error_on_one_line() {
        let mut checker = Checker::new("f.toml", "[styles\n");
        assert!(checker.parse().is_none());
        assert_eq!(
            shown(checker),
            ["f.toml:1:8: invalid table header; expected `.`, `]`"]
        );
    }

    #[test]
    fn typed_reads_report_the_wrong_kind_where_it_was_written() {
        let text = "name = 3\ncount = -1\nsize = 5\nitems = \"a\"\n";
        let mut checker = Checker::new("f.toml", text);
        let root = checker.parse().expect("valid");
        let node = |key| &root.get(key).expect(key).node;
        assert_eq!(checker.text(node("name"), "`name` must be text"), None);
        assert_eq!(
            checker.number::<u64>(node("count"), "`count` must be 0 or more"),
            None
        );
        assert_eq!(checker.number::<u64>(node("size"), "unused"), Some(5));
        assert_eq!(checker.list(node("items"), "`items` must be a list"), None);
        assert_eq!(checker.table(node("size"), "`size` must be a table"), None);
        checker.unknown(0, "key", "nmae", ["name", "count"]);
        assert!(checker.has_errors());
        assert_eq!(
            shown(checker),
            [
                "f.toml:1:8: `name` must be text",
                "f.toml:2:9: `count` must be 0 or more",
                "f.toml:4:9: `items` must be a list",
                "f.toml:3:8: `size` must be a table",
                "f.toml:1:1: unknown key `nmae` (did you mean `name`?)",
            ]
        );
    }

    #[test]
    fn places_past_the_end_or_inside_a_character_do_not_panic() {
        let checker = Checker::new("f.toml", "a = \"é\"\n");
        assert_eq!(checker.line_col(6), (1, 6));
        assert_eq!(checker.line_col(99), (2, 1));
    }
}
