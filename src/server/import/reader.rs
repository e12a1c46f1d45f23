//! Reading an import file one row at a time, whatever its size: CSV with a
//! header row (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`). Each row comes
//! with its line number; a row that cannot be read is an error for that row
//! only.

use super::records::Row;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// A row, or why it could not be read, with the line it starts on.
pub type Numbered = (u64, Result<Row, String>);

/// The rows of the file at `path`; an error names the file and why it
/// cannot be read at all.
pub fn rows(path: &Path) -> Result<Box<dyn Iterator<Item = Numbered>>, String> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "csv" => csv_rows(file, &shown),
        "jsonl" | "ndjson" => Ok(Box::new(json_rows(file))),
        _ => Err(format!(
            "{shown}: not a .csv or .jsonl file (the extension says which format it is)"
        )),
    }
}

fn csv_rows(file: File, shown: &str) -> Result<Box<dyn Iterator<Item = Numbered>>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::new(file));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{shown}:1: the header row cannot be read: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(format!("{shown}:1: the file has no header row"));
    }
    Ok(Box::new(reader.into_records().map(
        move |record| match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                if record.len() != header.len() {
                    let why = format!(
                        "{} fields where the header has {}",
                        record.len(),
                        header.len()
                    );
                    return (line, Err(why));
                }
                let fields = header
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_string))
                    .collect();
                (line, Ok(Row::new(fields)))
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                (line, Err(format!("cannot be read: {e}")))
            }
        },
    )))
}

fn json_rows(file: File) -> impl Iterator<Item = Numbered> {
    BufReader::new(file)
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let n = i as u64 + 1;
            match line {
                Err(e) => Some((n, Err(format!("cannot be read: {e}")))),
                Ok(line) if line.trim().is_empty() => None,
                Ok(line) => Some((n, json_row(&line))),
            }
        })
}

fn json_row(line: &str) -> Result<Row, String> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    row_of(value)
}

/// One JSON object as a row: text as it is, numbers and booleans as
/// written, arrays as `;`-separated items, nulls left out.
fn row_of(value: serde_json::Value) -> Result<Row, String> {
    let serde_json::Value::Object(object) = value else {
        return Err("not a JSON object".into());
    };
    let mut fields = Vec::with_capacity(object.len());
    for (name, value) in object {
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Array(items) => {
                let mut texts = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        serde_json::Value::String(s) => texts.push(s),
                        serde_json::Value::Number(n) => texts.push(n.to_string()),
                        _ => return Err(format!("{name}: a list may hold only text")),
                    }
                }
                texts.join(";")
            }
            serde_json::Value::Object(_) => {
                return Err(format!("{name}: an object where text was expected"))
            }
        };
        fields.push((name, text));
    }
    Ok(Row::new(fields))
}
