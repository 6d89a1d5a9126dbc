//! An optional filter that folds hamza on its carriers: ؤ → و, ئ → ي, and drops the lone ء.
//!
//! The normalizer keeps these letters (see `chars.rs`): writers do not drop them the way they
//! drop the hamza on alef, and folding merges distinct words (سؤال, سوال). This filter exists so
//! that `fahras eval` can measure that choice; it is not in the default analyzers.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Folds ؤ ئ ء in a normalized term; returns whether it changed anything.
///
/// ```
/// let mut term = String::from("مسؤول");
/// assert!(fahras::analysis::hamza::fold_hamza(&mut term));
/// assert_eq!(term, "مسوول");
/// ```
pub fn fold_hamza(term: &mut String) -> bool {
    if !term.contains(['\u{0621}', '\u{0624}', '\u{0626}']) {
        return false;
    }
    *term = term
        .chars()
        .filter_map(|c| match c {
            '\u{0624}' => Some('\u{0648}'), // ARABIC LETTER WAW WITH HAMZA ABOVE -> WAW
            '\u{0626}' => Some('\u{064A}'), // ARABIC LETTER YEH WITH HAMZA ABOVE -> YEH
            '\u{0621}' => None,             // ARABIC LETTER HAMZA: dropped
            c => Some(c),
        })
        .collect();
    true
}

/// The token filter; place it right after the tokenizer.
#[derive(Clone, Copy, Debug, Default)]
pub struct HamzaFolder;

impl TokenFilter for HamzaFolder {
    type Tokenizer<T: Tokenizer> = HamzaFolderFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> HamzaFolderFilter<T> {
        HamzaFolderFilter { inner: tokenizer }
    }
}

/// [`HamzaFolder`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct HamzaFolderFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for HamzaFolderFilter<T> {
    type TokenStream<'a> = HamzaFolderStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        HamzaFolderStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`HamzaFolderFilter`].
pub struct HamzaFolderStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for HamzaFolderStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            fold_hamza(&mut self.tail.token_mut().text);
            // A word of lone hamzas folds to nothing: skip it.
            if !self.tail.token().text.is_empty() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_carriers_and_drops_lone_hamza() {
        for (input, expected) in [
            ("مسؤول", "مسوول"),
            ("مسئول", "مسيول"),
            ("رئيس", "رييس"),
            ("سماء", "سما"),
            ("كتاب", "كتاب"),
        ] {
            let mut term = input.to_string();
            fold_hamza(&mut term);
            assert_eq!(term, expected, "{input}");
        }
    }
}
