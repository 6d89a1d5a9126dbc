//! Property tests of the whole analysis chain on arbitrary and Arabic-heavy input.

use proptest::prelude::*;
use tantivy::tokenizer::TokenStream;

use super::{normalize, AnalyzerSpec, LightStemmer};

/// Strings drawn mostly from the characters that stress Arabic analysis: letters, every kind of
/// mark, tatweel, format characters, digits, separators, presentation forms, some Latin and emoji.
fn arabic_heavy() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => prop::char::range('\u{0600}', '\u{06FF}'),
        1 => prop::char::range('\u{0750}', '\u{077F}'),
        1 => prop::char::range('\u{08A0}', '\u{08FF}'),
        1 => prop::char::range('\u{FB50}', '\u{FDFF}'),
        1 => prop::char::range('\u{FE70}', '\u{FEFF}'),
        1 => prop::sample::select(vec![
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{202B}',
            '\u{2067}', '\u{00AD}', '\u{FEFF}', '\u{0654}', '\u{0655}', '\u{0640}', ' ', '\n',
            '#', '_', '.', ',', '-', 'A', 'z', '5', 'é', 'İ', '😀', '北',
        ]),
        1 => any::<char>(),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|chars| chars.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![arabic_heavy(), any::<String>()]
}

proptest! {
    // 10,000 inputs: no analyzer may panic or misplace an offset on any of them.
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn normalization_is_idempotent(text in any_text()) {
        let once = normalize(&text).into_owned();
        let twice = normalize(&once).into_owned();
        prop_assert_eq!(&once, &twice, "input {}", text.escape_unicode());
    }

    #[test]
    fn tokens_are_well_formed(text in any_text()) {
        for spec in AnalyzerSpec::ALL {
            let mut analyzer = spec.build();
            let mut stream = analyzer.token_stream(&text);
            let mut last_end = 0;
            let mut last_position: Option<usize> = None;
            while stream.advance() {
                let token = stream.token();
                prop_assert!(token.offset_from < token.offset_to);
                prop_assert!(token.offset_to <= text.len());
                prop_assert!(text.is_char_boundary(token.offset_from));
                prop_assert!(text.is_char_boundary(token.offset_to));
                prop_assert!(token.offset_from >= last_end, "tokens overlap or go back");
                prop_assert!(!token.text.is_empty());
                if let Some(last) = last_position {
                    prop_assert!(token.position > last);
                }
                last_end = token.offset_to;
                last_position = Some(token.position);
            }
        }
    }

    #[test]
    fn exact_terms_are_normalized_and_positions_consecutive(text in any_text()) {
        let mut analyzer = AnalyzerSpec::EXACT.build();
        let mut stream = analyzer.token_stream(&text);
        let mut expected_position = 0;
        while stream.advance() {
            let token = stream.token();
            prop_assert_eq!(normalize(&token.text), token.text.as_str());
            prop_assert_eq!(token.position, expected_position);
            expected_position += 1;
        }
    }

    #[test]
    fn stems_are_substrings(text in arabic_heavy()) {
        let stemmer = LightStemmer::default();
        let normalized = normalize(&text);
        for word in normalized.split_whitespace() {
            let stem = stemmer.stem(word);
            prop_assert!(word.contains(stem));
            prop_assert!(!word.is_empty() && !stem.is_empty());
        }
    }
}

/// Every token of a text: (term, from, to, position).
fn tokens_of(
    tokenizer: &mut super::ArabicTokenizer,
    text: &str,
) -> Vec<(String, usize, usize, usize)> {
    use tantivy::tokenizer::Tokenizer;
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// A reusing tokenizer gives the tokens it would find itself, whether it replays them
    /// (the same text as the remembering one) or not (another text, or a text remembered only
    /// in part).
    #[test]
    fn shared_tokens_are_the_tokens(
        first in any_text(),
        second in any_text(),
        same in any::<bool>(),
        stop_early in any::<bool>(),
    ) {
        use super::{ArabicTokenizer, Sharing};
        use tantivy::tokenizer::Tokenizer;
        let second = if same { first.clone() } else { second };
        let mut alone = ArabicTokenizer::default();
        let mut remember = ArabicTokenizer::sharing(Sharing::Remember);
        let mut reuse = ArabicTokenizer::sharing(Sharing::Reuse);
        if stop_early {
            // A stream not read to its end leaves nothing behind.
            let mut stream = remember.token_stream(&first);
            stream.advance();
        } else {
            prop_assert_eq!(tokens_of(&mut remember, &first), tokens_of(&mut alone, &first));
        }
        prop_assert_eq!(tokens_of(&mut reuse, &second), tokens_of(&mut alone, &second));
        // Replayed, the tokens are given back: the same text again replays them again.
        prop_assert_eq!(tokens_of(&mut reuse, &second), tokens_of(&mut alone, &second));
    }

    /// A remembering tokenizer given a part of the text left on the thread (an article's lead,
    /// after its title and body) gives the tokens it would find itself, offsets into the part.
    #[test]
    fn tokens_of_a_part_are_the_tokens(
        title in any_text(),
        words in prop::collection::vec(any_text(), 1..8),
        spaces in prop::collection::vec(
            prop::sample::select(vec![" ", "\n", "\t", "\u{00A0}", "\u{2028}", "\u{3000}", ""]),
            8,
        ),
        cut_words in 0usize..8,
        cut_chars in prop::option::of(0usize..40),
    ) {
        use super::tokenizer::part_of;
        use super::{ArabicTokenizer, Sharing};
        let mut body = String::new();
        for (word, space) in words.iter().zip(&spaces) {
            body.push_str(word);
            body.push_str(space);
        }
        // The part: whole words (as the lead is cut), or a cut anywhere.
        let mut cut = words.iter().zip(&spaces).take(cut_words).map(|(w, s)| w.len() + s.len()).sum::<usize>();
        if let Some(chars) = cut_chars {
            cut = body.char_indices().nth(chars).map_or(body.len(), |(at, _)| at);
        }
        let part = &body[..cut];
        let whole = format!("{title}\n{body}");
        let mut alone = ArabicTokenizer::default();
        let mut remember = ArabicTokenizer::sharing(Sharing::Remember);
        let mut reuse = ArabicTokenizer::sharing(Sharing::Reuse);
        let mut lead = ArabicTokenizer::sharing(Sharing::Remember);
        tokens_of(&mut remember, &whole);
        tokens_of(&mut reuse, &whole);
        let followed_by_space = body[cut..].chars().next().is_none_or(char::is_whitespace);
        if !part.is_empty() && followed_by_space {
            prop_assert!(part_of(&whole, part).is_some());
        }
        prop_assert_eq!(tokens_of(&mut lead, part), tokens_of(&mut alone, part));
        // The whole text's tokens are still on the thread.
        prop_assert_eq!(tokens_of(&mut reuse, &whole), tokens_of(&mut alone, &whole));
    }
}

#[test]
fn the_exact_analyzer_replays_what_the_stemming_one_found() {
    use super::{ArabicTokenizer, Sharing};
    let text = "أعلنت الحكومةُ خطتها";
    let mut remember = ArabicTokenizer::sharing(Sharing::Remember);
    let mut reuse = ArabicTokenizer::sharing(Sharing::Reuse);
    let found = tokens_of(&mut remember, text);
    assert_eq!(tokens_of(&mut reuse, text), found);
    // Replayed to the end, the tokens are back on the thread, for a part of the text.
    super::tokenizer::REMEMBERED.with(|r| assert_eq!(r.borrow().tokens.len(), found.len()));
    let mut lead = ArabicTokenizer::sharing(Sharing::Remember);
    let whole = "عنوان الخبر\nأعلنت الحكومةُ خطتها الجديدة";
    tokens_of(&mut remember, whole);
    let part = "أعلنت الحكومةُ";
    assert_eq!(
        super::tokenizer::part_of(whole, part),
        Some("عنوان الخبر\n".len())
    );
    let replayed = tokens_of(&mut lead, part);
    assert_eq!(replayed, tokens_of(&mut ArabicTokenizer::default(), part));
    assert_eq!(replayed[1].1, "أعلنت ".len());
    // Not followed by whitespace: not a part (the word goes on).
    assert_eq!(super::tokenizer::part_of(whole, "أعلنت الحكو"), None);
}
