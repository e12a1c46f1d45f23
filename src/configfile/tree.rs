//! A TOML document as a tree of plain values, each key and value with the
//! byte offset where it was written, so that a checker can place every
//! problem it finds. Read from `toml_edit`, the parser under the `toml`
//! crate, which keeps the spans.

use toml_edit::{Item, TableLike};

/// A value and the byte offset where it starts in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or time, as written.
    Datetime(String),
    /// An array, or an array of tables (`[[name]]`).
    List(Vec<Node>),
    Table(Table),
}

/// A table's entries in the order the file gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub entries: Vec<Entry>,
}

/// One `key = value` of a table, with where the key was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_at: usize,
    pub node: Node,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self.value {
            Value::Int(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_table(&self) -> Option<&Table> {
        match &self.value {
            Value::Table(table) => Some(table),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// The value as a person would name it in a message: the text of a
    /// string, the digits of a number, `[...]` for a list.
    pub fn shown(&self) -> String {
        match &self.value {
            Value::Str(text) | Value::Datetime(text) => text.clone(),
            Value::Int(n) => n.to_string(),
            Value::Float(x) => x.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::List(_) => "[...]".to_string(),
            Value::Table(_) => "{...}".to_string(),
        }
    }
}

impl Table {
    /// The entry for `key`, if the table has one.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }
}

/// The document's top table. A table or value without a span of its own (a
/// table made by a dotted key or header) takes the place of its key.
pub(super) fn root(document: &toml_edit::ImDocument<&str>) -> Table {
    table(document.as_table(), 0)
}

fn table(table: &dyn TableLike, fallback: usize) -> Table {
    let entries = table
        .iter()
        .map(|(name, item)| {
            let key_at = table
                .key(name)
                .and_then(toml_edit::Key::span)
                .map_or(fallback, |span| span.start);
            Entry {
                key: name.to_string(),
                key_at,
                node: item_node(item, key_at),
            }
        })
        .collect();
    Table { entries }
}

fn item_node(item: &Item, fallback: usize) -> Node {
    let at = item.span().map_or(fallback, |span| span.start);
    let value = match item {
        Item::Value(value) => return value_node(value, fallback),
        Item::Table(inner) => Value::Table(table(inner, at)),
        Item::ArrayOfTables(tables) => Value::List(
            tables
                .iter()
                .map(|inner| {
                    let at = inner.span().map_or(at, |span| span.start);
                    Node {
                        value: Value::Table(table(inner, at)),
                        at,
                    }
                })
                .collect(),
        ),
        // A parsed document holds no empty items.
        Item::None => Value::Table(Table::default()),
    };
    Node { value, at }
}

fn value_node(value: &toml_edit::Value, fallback: usize) -> Node {
    use toml_edit::Value as V;
    let at = value.span().map_or(fallback, |span| span.start);
    let value = match value {
        V::String(text) => Value::Str(text.value().clone()),
        V::Integer(n) => Value::Int(*n.value()),
        V::Float(x) => Value::Float(*x.value()),
        V::Boolean(b) => Value::Bool(*b.value()),
        V::Datetime(d) => Value::Datetime(d.value().to_string()),
        V::Array(items) => Value::List(items.iter().map(|v| value_node(v, at)).collect()),
        V::InlineTable(inner) => Value::Table(table(inner, at)),
    };
    Node { value, at }
}
