//! Display lines for terminals: logical order for terminals that do bidi themselves, or visual
//! order laid out here for the many that do not (xterm, tmux, Windows Terminal, iTerm2,
//! Alacritty, kitty print every character left to right, so Arabic comes out backwards).
//!
//! A [`Line`] is one paragraph of styled text in logical (stored) order. [`Layout::Logical`]
//! writes it as it is and lets the terminal wrap and reorder it. [`Layout::Visual`] does what a
//! bidi-capable terminal would:
//!
//! 1. optionally shape the Arabic letters into their joined presentation forms (for terminals
//!    that shape nothing either), span by span — spans change style only at word boundaries,
//!    so shaping a span is shaping its words;
//! 2. resolve the embedding levels of the whole paragraph with the Unicode Bidirectional
//!    Algorithm (UAX #9, `unicode-bidi`; the paragraph direction from its first strong letter);
//! 3. wrap it to the width left by the margin, at spaces;
//! 4. reorder each display line on its own (rules L1–L2), reversing right-to-left runs by
//!    grapheme cluster so that a combining mark (a haraka) stays after its letter, and mirror
//!    brackets in them (rule L4, `unicode-bidi-mirroring`);
//! 5. re-apply each character's style while emitting, and right-align right-to-left
//!    paragraphs (left-to-right ones stay left-aligned).
//!
//! Bidi formatting characters (LRM, RLI …) take part in step 2 and are dropped from the
//! output, as rule X9 removes them; a terminal without bidi would show them as boxes.

use std::borrow::Cow;
use std::ops::Range;

use unicode_bidi::ParagraphBidiInfo;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// How lines reach the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// As stored; the terminal wraps and (if it can) reorders.
    Logical,
    /// Wrapped to `width` columns and reordered here.
    Visual {
        /// Columns of the terminal.
        width: usize,
        /// Arabic letters as joined presentation forms.
        shape: bool,
    },
}

/// One paragraph of styled text, in logical order, with a left margin (or right margin, when
/// laid out right to left) and an optional gutter printed in the first line's margin.
#[derive(Debug, Clone, Default)]
pub struct Line {
    margin: usize,
    gutter: Option<String>,
    spans: Vec<(String, &'static str)>,
}

impl Line {
    /// An empty line with this margin.
    pub fn new(margin: usize) -> Line {
        Line {
            margin,
            ..Line::default()
        }
    }

    /// Text to print in the margin of the first display line (a hit's rank): right-aligned
    /// against the text in a left-to-right line, left-aligned against it in a right-to-left one.
    pub fn gutter(mut self, gutter: impl Into<String>) -> Line {
        self.gutter = Some(gutter.into());
        self
    }

    /// Appends text with a style (an ANSI SGR sequence, or "" for none). Control characters
    /// (article text is untrusted: an ESC would let it drive the terminal) are replaced by
    /// U+FFFD, line breaks and tabs by spaces.
    pub fn push(&mut self, text: &str, style: &'static str) -> &mut Line {
        if !text.is_empty() {
            self.spans.push((sanitize(text).into_owned(), style));
        }
        self
    }

    /// The text without styles, in logical order.
    pub fn plain(&self) -> String {
        self.spans.iter().map(|(text, _)| text.as_str()).collect()
    }
}

fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => '\u{FFFD}', // REPLACEMENT CHARACTER
                c => c,
            })
            .collect(),
    )
}

/// Bidi formatting characters: they steer the algorithm and are not shown (rule X9).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' // ARABIC LETTER MARK
        | '\u{200E}' // LEFT-TO-RIGHT MARK
        | '\u{200F}' // RIGHT-TO-LEFT MARK
        | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
        | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
    )
}

/// Lays out a line: the display lines to print, each without its line break.
///
/// `reset` is the sequence that ends a style ("" when there is no color).
///
/// ```
/// use fahras::render::bidi::{lay_out, Layout, Line};
///
/// let mut line = Line::new(0);
/// line.push("فتح بوابات سد", "");
/// let visual = lay_out(&line, Layout::Visual { width: 20, shape: false }, "");
/// // Right-aligned in 20 columns, the words (and their letters) right to left.
/// assert_eq!(visual, vec!["       دس تاباوب حتف"]);
/// ```
pub fn lay_out(line: &Line, layout: Layout, reset: &str) -> Vec<String> {
    match layout {
        Layout::Logical => vec![logical(line, reset)],
        Layout::Visual { width, shape } => visual(line, width, shape, reset),
    }
}

/// The margin of a left-to-right line: spaces, or the gutter right-aligned two columns before
/// the text.
fn left_margin(gutter: Option<&str>, margin: usize) -> String {
    match gutter {
        Some(g) => format!("{g:>w$}  ", w = margin.saturating_sub(2)),
        None => " ".repeat(margin),
    }
}

fn logical(line: &Line, reset: &str) -> String {
    let mut out = left_margin(line.gutter.as_deref(), line.margin);
    for (text, style) in &line.spans {
        if style.is_empty() {
            out.push_str(text);
        } else {
            out.push_str(style);
            out.push_str(text);
            out.push_str(reset);
        }
    }
    out
}

/// The paragraph's text with each byte's style.
struct Styled {
    text: String,
    /// (end byte, style) of each span, in order.
    ends: Vec<(usize, &'static str)>,
}

impl Styled {
    fn new(line: &Line, shape: bool) -> Styled {
        let reshaper = shape.then(reshaper);
        let mut text = String::new();
        let mut ends = Vec::with_capacity(line.spans.len());
        for (span, style) in &line.spans {
            match &reshaper {
                Some(r) if r.need_reshape(span.as_str()) => {
                    text.push_str(&r.reshape(span.as_str()))
                }
                _ => text.push_str(span),
            }
            ends.push((text.len(), *style));
        }
        Styled { text, ends }
    }

    fn style_at(&self, byte: usize) -> &'static str {
        let i = self.ends.partition_point(|&(end, _)| end <= byte);
        self.ends.get(i).map_or("", |&(_, style)| style)
    }
}

/// The reshaper for presentation forms. Harakat are kept (the text as written: they are
/// combining marks, which the grapheme-wise reversal keeps after their letters).
fn reshaper() -> ar_reshaper::ArabicReshaper {
    let config = ar_reshaper::ReshaperConfig {
        delete_harakat: false,
        ..ar_reshaper::ReshaperConfig::default()
    };
    ar_reshaper::ArabicReshaper::new(config)
}

fn visual(line: &Line, width: usize, shape: bool, reset: &str) -> Vec<String> {
    let styled = Styled::new(line, shape);
    let text = styled.text.as_str();
    let room = width.saturating_sub(line.margin).max(1);
    let info = ParagraphBidiInfo::new(text, None);
    let rtl = info.paragraph_level.is_rtl();
    let mut lines = Vec::new();
    for (n, range) in wrap(text, room).into_iter().enumerate() {
        let (body, used) = reorder(&info, &styled, range, reset);
        let gutter = line.gutter.as_deref().filter(|_| n == 0);
        lines.push(if rtl {
            // Right-aligned; the margin (with the gutter) on the right.
            let pad = room.saturating_sub(used);
            let right = gutter.map_or(String::new(), |g| {
                format!("  {g:<w$}", w = line.margin.saturating_sub(2))
            });
            format!("{}{body}{}", " ".repeat(pad), right.trim_end())
        } else {
            left_margin(gutter, line.margin) + &body
        });
    }
    lines
}

/// Byte ranges of the display lines: greedy, breaking at spaces (dropped), a word longer than
/// the room broken between grapheme clusters.
fn wrap(text: &str, room: usize) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut end = 0; // end of the last word on the line
    let mut used = 0;
    let words = text
        .split(' ')
        .scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty());
    for (at, word) in words {
        let word_width = word.width();
        let gap = text[end..at].width();
        if end > start && used + gap + word_width > room {
            lines.push(start..end);
            start = at;
            used = 0;
        } else if end > start {
            used += gap;
        } else {
            used = text[start..at].width();
        }
        if used + word_width > room {
            // Too long for any line: break it where the room ends.
            let mut piece_start = start;
            for (offset, grapheme) in word.grapheme_indices(true) {
                let w = grapheme.width();
                if used + w > room && at + offset > piece_start {
                    lines.push(piece_start..at + offset);
                    piece_start = at + offset;
                    used = 0;
                }
                used += w;
            }
            start = piece_start;
        } else {
            used += word_width;
        }
        end = at + word.len();
    }
    if end > start || lines.is_empty() {
        lines.push(start..end);
    }
    lines
}

/// One display line in visual order with its styles, and its width in columns.
fn reorder(
    info: &ParagraphBidiInfo<'_>,
    styled: &Styled,
    range: Range<usize>,
    reset: &str,
) -> (String, usize) {
    let text = styled.text.as_str();
    let mut out = String::with_capacity(range.len() + 16);
    let mut current = "";
    let mut used = 0;
    if range.is_empty() {
        return (out, 0);
    }
    let (levels, runs) = info.visual_runs(range);
    for run in runs {
        let rtl = levels[run.start].is_rtl();
        let graphemes: Vec<(usize, &str)> = text[run.clone()].grapheme_indices(true).collect();
        let ordered: Box<dyn Iterator<Item = &(usize, &str)>> = if rtl {
            Box::new(graphemes.iter().rev())
        } else {
            Box::new(graphemes.iter())
        };
        for &(offset, grapheme) in ordered {
            let grapheme: Cow<'_, str> = if grapheme.chars().any(is_bidi_control) {
                grapheme.chars().filter(|&c| !is_bidi_control(c)).collect()
            } else {
                Cow::Borrowed(grapheme)
            };
            if grapheme.is_empty() {
                continue;
            }
            let style = styled.style_at(run.start + offset);
            if style != current {
                if !current.is_empty() {
                    out.push_str(reset);
                }
                out.push_str(style);
                current = style;
            }
            let mut chars = grapheme.chars();
            match (rtl, chars.next(), chars.next()) {
                (true, Some(c), None) => {
                    out.push(unicode_bidi_mirroring::get_mirrored(c).unwrap_or(c))
                }
                _ => out.push_str(&grapheme),
            }
            used += grapheme.width();
        }
    }
    if !current.is_empty() {
        out.push_str(reset);
    }
    (out, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visual_plain(text: &str, width: usize) -> Vec<String> {
        let mut line = Line::new(0);
        line.push(text, "");
        lay_out(
            &line,
            Layout::Visual {
                width,
                shape: false,
            },
            "",
        )
    }

    #[test]
    fn left_to_right_text_is_unchanged() {
        assert_eq!(
            visual_plain("12 articles match", 40),
            vec!["12 articles match"]
        );
    }

    #[test]
    fn arabic_is_reversed_and_right_aligned_numbers_keep_their_order() {
        // Logical: "عام 2024" → visual: the number (level 2) keeps its order, left of عام.
        assert_eq!(visual_plain("عام 2024", 10), vec!["  2024 ماع"]);
    }

    #[test]
    fn brackets_are_mirrored_in_right_to_left_runs() {
        assert_eq!(visual_plain("سد (جديد)", 9), vec!["(ديدج) دس"]);
    }

    #[test]
    fn wrapping_happens_before_reordering() {
        // The first logical words go on the first display line.
        assert_eq!(
            visual_plain("واحد اثنان ثلاثة", 11),
            vec![" نانثا دحاو", "      ةثالث"]
        );
    }

    #[test]
    fn long_words_are_broken() {
        assert_eq!(wrap("abcdefgh", 3), vec![0..3, 3..6, 6..8]);
        assert_eq!(wrap("", 3), vec![0..0]);
        assert_eq!(wrap("ab cd", 2), vec![0..2, 3..5]);
        // Only at spaces: "[x]…" stays whole.
        assert_eq!(wrap("a [x]… b", 5), vec![0..1, 2..8, 9..10]);
    }

    #[test]
    fn a_haraka_stays_after_its_letter() {
        // كَتب: the fatha follows the kaf in visual order as it does in logical order.
        assert_eq!(visual_plain("كَتب", 3), vec!["بتكَ"]);
    }

    #[test]
    fn styles_follow_their_words_and_controls_are_replaced() {
        let mut line = Line::new(0);
        line.push("في ", "")
            .push("المدينة", "<b>")
            .push("\u{1b}[2J", "");
        let out = lay_out(
            &line,
            Layout::Visual {
                width: 40,
                shape: false,
            },
            "</b>",
        );
        // The control became U+FFFD (a neutral) and "2J" an LTR run at the line's left end.
        let expected = format!("{}2J]\u{FFFD}<b>ةنيدملا</b> يف", " ".repeat(26));
        assert_eq!(out, vec![expected]);
    }

    #[test]
    fn shaping_gives_presentation_forms() {
        let mut line = Line::new(0);
        line.push("سلام", "");
        let out = lay_out(
            &line,
            Layout::Visual {
                width: 3,
                shape: true,
            },
            "",
        );
        // ﺳ (initial seen) ﻼ (lam-alef final ligature) ﻡ (isolated meem), right to left.
        assert_eq!(out, vec!["\u{FEE1}\u{FEFC}\u{FEB3}"]);
    }

    #[test]
    fn the_gutter_goes_to_the_side_the_line_starts_on() {
        let mut line = Line::new(5).gutter("1");
        line.push("سد", "");
        let layout = Layout::Visual {
            width: 12,
            shape: false,
        };
        assert_eq!(lay_out(&line, layout, ""), vec!["     دس  1"]);
        let mut latin = Line::new(5).gutter("1");
        latin.push("dam", "");
        assert_eq!(lay_out(&latin, layout, ""), vec!["  1  dam"]);
        assert_eq!(lay_out(&latin, Layout::Logical, ""), vec!["  1  dam"]);
    }
}
