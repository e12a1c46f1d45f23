//! A one-line text input: what search, filters, the palette and prompts type
//! into. Plain data; the keys that edit it are mapped by the keymap.

/// A one-line text input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
}

impl TextInput {
    pub fn with(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
        }
    }

    pub fn insert(&mut self, s: &str) {
        self.text.push_str(s);
    }

    pub fn backspace(&mut self) {
        self.text.pop();
    }
}
