//! Date parsing for ingested articles.
//!
//! Archives write dates in two families of forms, and both end up as a plain
//! [`time::Date`] (the calendar day as written, with no time zone arithmetic):
//!
//! * **Numeric** dates from JSON exports: `2017-01-25`, RFC 3339 timestamps such
//!   as `2017-01-25T14:36:00+01:00`, `2017-01-25 14:36:00`, `2017/01/25` and the
//!   day-first `25/01/2017` used across the Arab world. See [`parse_date`].
//! * **Arabic phrases** from scraped pages: `٢٣ أكتوبر ٢٠٢٤`, `23 أيار/مايو 2021`,
//!   `1 تشرين الأول (أكتوبر) 2020`. The month can be named in any of the systems in
//!   use (Egyptian/Gulf transliterations of the Latin names, the Syriac-derived
//!   Levantine/Iraqi names, the French-derived Maghreb names and the Moroccan
//!   ones), and digits can be ASCII, Arabic-Indic or extended Arabic-Indic. See
//!   [`parse_arabic_date_phrase`], [`parse_arabic_date`] and [`month_from_name`].
//!
//! A timestamp's local date is kept as written: `2017-01-25T23:30:00-05:00` is
//! the 25th, because that is the day the newsroom printed on the article.
//!
//! Nothing here panics or allocates much; every parser returns `None` for input
//! it does not recognise, and the caller decides whether that deserves a warning.

use time::{Date, Month};

/// Parses a date as found in a JSON record or a command-line filter.
///
/// Accepted (surrounding whitespace ignored, digits may be ASCII or Arabic-Indic):
/// * `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`
/// * `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY` (day first, never month first)
/// * any of the above followed by `T` or a space and a time
///   (`HH:MM[:SS[.fraction]]`), optionally followed by a zone (`Z`, `±HH:MM`,
///   `±HHMM`, `±HH`, `UTC`, `GMT`). This covers RFC 3339. The zone is
///   validated but not applied: the date is taken as written.
/// * an Arabic date phrase, as accepted by [`parse_arabic_date_phrase`].
///
/// Returns `None` for anything else, including impossible dates (`2021-02-30`).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    parse_numeric(s).or_else(|| parse_arabic_date_phrase(s))
}

/// Parses an Arabic date phrase: `day month year`, e.g. `٢٣ أكتوبر ٢٠٢٤`.
///
/// The month may be one or more words, and may combine two systems
/// (`أيار/مايو`, `تشرين الأول/أكتوبر`, `أيار (مايو)`); the first alternative
/// that names a month wins. The phrase may start with a weekday
/// (`الأربعاء ٢٣ أكتوبر ٢٠٢٤`), and the year may carry the era mark `م`.
pub fn parse_arabic_date_phrase(s: &str) -> Option<Date> {
    let parts = split_trailing_date(s)?;
    let prefix_ok = parts
        .prefix
        .split(|c: char| c.is_whitespace() || is_list_punct(c))
        .filter(|t| !t.is_empty())
        .all(is_weekday_word);
    if !prefix_ok {
        return None;
    }
    parse_arabic_date(parts.day, parts.month, parts.year)
}

/// Builds a date from its three written parts: `("٢٣", "أكتوبر", "٢٠٢٤")`.
///
/// `day` is 1–2 digits, `year` is 4 digits (an era mark `م` after it is
/// allowed), `month` is a month name in any system, or several alternatives
/// separated by `/`, `-`, `|`, `,` or parentheses. Returns `None` when a part
/// does not parse or the day does not exist in that month (`31 فبراير`).
pub fn parse_arabic_date(day: &str, month: &str, year: &str) -> Option<Date> {
    let day = parse_digits(trim_punct(day), 1, 2)?;
    let year = parse_digits(strip_era(trim_punct(year)), 4, 4).filter(|&y| y > 0)?;
    let month = month
        .split(['/', '\\', '(', ')', '|', '-', ',', '،'])
        .find_map(month_from_name)?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// Maps a month name in any Arabic naming system to its [`Month`].
///
/// The name is lightly normalized first: diacritics
/// and tatweel are removed, `أ إ آ ٱ` become `ا`, `ة` becomes `ه`, `ى` becomes
/// `ي`, and runs of whitespace become one space, so `أيّار`, `ايار` and `أيـار`
/// are all May.
pub fn month_from_name(name: &str) -> Option<Month> {
    let n = normalize_arabic(name);
    // Each arm lists one month's names after normalization. Systems:
    // E = Egyptian/Gulf (transliterated Latin names), L = Levantine/Iraqi
    // (Syriac-derived), M = Algeria/Tunisia (French-derived), Ma = Morocco.
    let month = match n.as_str() {
        // January: E يناير (also Ma), L كانون الثاني, M جانفي
        "يناير" | "كانون الثاني" | "كانون ثاني" | "جانفي" => {
            Month::January
        }
        // February: E فبراير (also Ma), L شباط, M فيفري
        "فبراير" | "شباط" | "فيفري" => Month::February,
        // March: E/M/Ma مارس, L آذار
        "مارس" | "اذار" => Month::March,
        // April: E/Ma أبريل (ابريل, إبريل), L نيسان, M أفريل
        "ابريل" | "نيسان" | "افريل" => Month::April,
        // May: E مايو, L أيار, M/Ma ماي
        "مايو" | "ايار" | "ماي" => Month::May,
        // June: E يونيو/يونيه (also Ma), L حزيران, M جوان
        "يونيو" | "يونيه" | "حزيران" | "جوان" => Month::June,
        // July: E يوليو/يوليه, L تموز, M جويلية, Ma يوليوز
        "يوليو" | "يوليه" | "تموز" | "جويليه" | "يوليوز" => Month::July,
        // August: E أغسطس, L آب, M أوت, Ma غشت
        "اغسطس" | "اب" | "اوت" | "غشت" => Month::August,
        // September: E/M سبتمبر (سيبتمبر), L أيلول, Ma شتنبر
        "سبتمبر" | "سيبتمبر" | "ايلول" | "شتنبر" => Month::September,
        // October: E/M/Ma أكتوبر, L تشرين الأول
        "اكتوبر" | "تشرين الاول" | "تشرين اول" => Month::October,
        // November: E/M نوفمبر, L تشرين الثاني, Ma نونبر
        "نوفمبر" | "تشرين الثاني" | "تشرين ثاني" | "نونبر" => {
            Month::November
        }
        // December: E/M ديسمبر, L كانون الأول, Ma دجنبر
        "ديسمبر" | "كانون الاول" | "كانون اول" | "دجنبر" => {
            Month::December
        }
        _ => return None,
    };
    Some(month)
}

/// The pieces of a text that ends in `day month year`, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrailingDate<'a> {
    /// Everything before the day, trimmed (a category on a scraped meta line).
    pub prefix: &'a str,
    /// The day token.
    pub day: &'a str,
    /// The month words, as one slice of the original text.
    pub month: &'a str,
    /// The year token.
    pub year: &'a str,
    /// The whole date part, from the day to the end.
    pub text: &'a str,
}

/// Finds a trailing `day month year` in `s` by shape alone (digits, 1–4 words,
/// digits), without checking that the month is a month. Scanning from the end
/// lets the text before it contain numbers of its own (`كأس العالم 2022`).
pub(crate) fn split_trailing_date(s: &str) -> Option<TrailingDate<'_>> {
    /// Month names span at most this many words (`تشرين الأول / أكتوبر`).
    const MAX_MONTH_WORDS: usize = 5;

    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                tokens.push((st, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        tokens.push((st, s.len()));
    }
    let tok = |i: usize| &s[tokens[i].0..tokens[i].1];

    // A lone era mark after the year: `٢٠٢٤ م`.
    let mut year_idx = tokens.len().checked_sub(1)?;
    if trim_punct(tok(year_idx)) == "م" {
        year_idx = year_idx.checked_sub(1)?;
    }
    if !is_all_digits(strip_era(trim_punct(tok(year_idx)))) {
        return None;
    }
    let lowest = year_idx.saturating_sub(MAX_MONTH_WORDS + 1);
    let day_idx = (lowest..year_idx.checked_sub(1)?)
        .rev()
        .find(|&i| is_all_digits(trim_punct(tok(i))))?;
    let month = &s[tokens[day_idx + 1].0..tokens[year_idx - 1].1];
    Some(TrailingDate {
        prefix: s[..tokens[day_idx].0].trim_end(),
        day: tok(day_idx),
        month,
        year: tok(year_idx),
        text: s[tokens[day_idx].0..].trim_end(),
    })
}

/// Light normalization for matching Arabic keywords (month names, footer
/// markers). Spelling varies between sites in exactly these ways, and none of
/// them changes which word is meant.
pub(crate) fn normalize_arabic(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let mapped = match c {
            // U+064B..U+065F ARABIC FATHATAN .. ARABIC WAVY HAMZA BELOW: diacritics
            '\u{064B}'..='\u{065F}' => continue,
            // U+0670 ARABIC LETTER SUPERSCRIPT ALEF: a diacritic in practice
            '\u{0670}' => continue,
            // U+0640 ARABIC TATWEEL: justification stretch, not a letter
            '\u{0640}' => continue,
            // U+200B..U+200F ZERO WIDTH SPACE .. RIGHT-TO-LEFT MARK: invisible
            '\u{200B}'..='\u{200F}' => continue,
            // U+061C ARABIC LETTER MARK: invisible bidi control
            '\u{061C}' => continue,
            // U+202A..U+202E LEFT-TO-RIGHT EMBEDDING .. RIGHT-TO-LEFT OVERRIDE
            '\u{202A}'..='\u{202E}' => continue,
            // U+2066..U+2069 LEFT-TO-RIGHT ISOLATE .. POP DIRECTIONAL ISOLATE
            '\u{2066}'..='\u{2069}' => continue,
            // U+FEFF ZERO WIDTH NO-BREAK SPACE (BOM)
            '\u{FEFF}' => continue,
            // U+0623 ARABIC LETTER ALEF WITH HAMZA ABOVE
            '\u{0623}' => 'ا',
            // U+0625 ARABIC LETTER ALEF WITH HAMZA BELOW
            '\u{0625}' => 'ا',
            // U+0622 ARABIC LETTER ALEF WITH MADDA ABOVE
            '\u{0622}' => 'ا',
            // U+0671 ARABIC LETTER ALEF WASLA
            '\u{0671}' => 'ا',
            // U+0629 ARABIC LETTER TEH MARBUTA → U+0647 ARABIC LETTER HEH
            '\u{0629}' => 'ه',
            // U+0649 ARABIC LETTER ALEF MAKSURA → U+064A ARABIC LETTER YEH
            '\u{0649}' => 'ي',
            // U+06CC ARABIC LETTER FARSI YEH → U+064A ARABIC LETTER YEH
            '\u{06CC}' => 'ي',
            // U+06A9 ARABIC LETTER KEHEH → U+0643 ARABIC LETTER KAF
            '\u{06A9}' => 'ك',
            c if c.is_whitespace() => {
                pending_space = !out.is_empty();
                continue;
            }
            c => c,
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(mapped);
    }
    out
}

/// The value of a decimal digit in any of the three digit sets Arabic text uses.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        // U+0030..U+0039 DIGIT ZERO .. DIGIT NINE
        '0'..='9' => Some(c as u32 - '0' as u32),
        // U+0660..U+0669 ARABIC-INDIC DIGIT ZERO .. NINE
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        // U+06F0..U+06F9 EXTENDED ARABIC-INDIC DIGIT ZERO .. NINE
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

fn is_all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| digit_value(c).is_some())
}

/// Parses `min..=max` digits from any digit set.
fn parse_digits(s: &str, min: usize, max: usize) -> Option<u32> {
    let mut value = 0u32;
    let mut count = 0;
    for c in s.chars() {
        value = value * 10 + digit_value(c)?;
        count += 1;
        if count > max {
            return None;
        }
    }
    (count >= min).then_some(value)
}

fn is_list_punct(c: char) -> bool {
    matches!(c, ',' | '،' | '.' | '؛' | ';')
}

fn trim_punct(s: &str) -> &str {
    s.trim_matches(is_list_punct)
}

/// Drops the era mark `م` (ميلادي, "AD") that often follows a year.
fn strip_era(s: &str) -> &str {
    s.strip_suffix('م')
        .unwrap_or(s)
        .trim_end_matches(is_list_punct)
}

fn is_weekday_word(word: &str) -> bool {
    matches!(
        normalize_arabic(word).as_str(),
        "يوم"
            | "الاحد"
            | "الاثنين"
            | "الثلاثاء"
            | "الاربعاء"
            | "الخميس"
            | "الجمعه"
            | "السبت"
    )
}

/// A cursor over ASCII bytes for the numeric forms.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Reads a run of ASCII digits, returning its value and length.
    fn digits(&mut self) -> Option<(u32, usize)> {
        let start = self.pos;
        let mut value = 0u32;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if self.pos - start >= 9 {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
            self.pos += 1;
        }
        let len = self.pos - start;
        (len > 0).then_some((value, len))
    }

    /// Reads exactly two digits (not part of a longer run) no greater than `max`.
    fn two_digits(&mut self, max: u32) -> Option<u32> {
        let pair = self.s.get(self.pos..self.pos + 2)?;
        if !pair.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let value = u32::from(pair[0] - b'0') * 10 + u32::from(pair[1] - b'0');
        self.pos += 2;
        (value <= max).then_some(value)
    }

    fn at_end(&self) -> bool {
        self.pos == self.s.len()
    }
}

fn parse_numeric(s: &str) -> Option<Date> {
    // Only the digits need mapping; anything else non-ASCII fails below.
    let ascii: String = s
        .chars()
        .map(|c| match digit_value(c) {
            Some(d) => char::from_digit(d, 10).unwrap_or(c),
            None => c,
        })
        .collect();
    let mut cur = Cursor {
        s: ascii.as_bytes(),
        pos: 0,
    };
    let (a, a_len) = cur.digits()?;
    let sep = cur.peek().filter(|b| matches!(b, b'-' | b'/' | b'.'))?;
    cur.pos += 1;
    let (b, b_len) = cur.digits()?;
    if !cur.eat(sep) {
        return None;
    }
    let (c, c_len) = cur.digits()?;
    let (year, month, day) = match (a_len, b_len, c_len) {
        (4, 1..=2, 1..=2) => (a, b, c),
        (1..=2, 1..=2, 4) => (c, b, a),
        _ => return None,
    };
    if year == 0 {
        return None;
    }
    if !cur.at_end() {
        match cur.peek() {
            Some(b'T' | b't' | b' ') => cur.pos += 1,
            _ => return None,
        }
        parse_time_and_zone(&mut cur)?;
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// Validates `HH:MM[:SS[.fraction]][ ][zone]` up to the end of the input.
fn parse_time_and_zone(cur: &mut Cursor<'_>) -> Option<()> {
    cur.two_digits(23)?;
    if !cur.eat(b':') {
        return None;
    }
    cur.two_digits(59)?;
    if cur.eat(b':') {
        // 60 admits a leap second.
        cur.two_digits(60)?;
        if cur.eat(b'.') || cur.eat(b',') {
            cur.digits()?;
        }
    }
    cur.eat(b' ');
    if cur.at_end() {
        return Some(());
    }
    let rest = &cur.s[cur.pos..];
    if rest.eq_ignore_ascii_case(b"z")
        || rest.eq_ignore_ascii_case(b"utc")
        || rest.eq_ignore_ascii_case(b"gmt")
    {
        return Some(());
    }
    if !(cur.eat(b'+') || cur.eat(b'-')) {
        return None;
    }
    cur.two_digits(23)?;
    if cur.at_end() {
        return Some(());
    }
    cur.eat(b':');
    cur.two_digits(59)?;
    cur.at_end().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn iso_dates() {
        assert_eq!(parse_date("2017-01-25"), Some(date!(2017 - 01 - 25)));
        assert_eq!(parse_date("  2017-1-5 "), Some(date!(2017 - 01 - 05)));
        assert_eq!(parse_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
    }

    #[test]
    fn rfc3339_keeps_the_date_as_written() {
        assert_eq!(
            parse_date("2017-01-25T14:36:00+01:00"),
            Some(date!(2017 - 01 - 25))
        );
        // In UTC this is already the 26th; the article says the 25th.
        assert_eq!(
            parse_date("2017-01-25T23:30:00-05:00"),
            Some(date!(2017 - 01 - 25))
        );
        assert_eq!(
            parse_date("2017-01-25T00:10:00.123456Z"),
            Some(date!(2017 - 01 - 25))
        );
        assert_eq!(
            parse_date("2017-01-25t14:36:00z"),
            Some(date!(2017 - 01 - 25))
        );
        assert_eq!(
            parse_date("2017-01-25T14:36:00+0100"),
            Some(date!(2017 - 01 - 25))
        );
    }

    #[test]
    fn other_numeric_forms() {
        assert_eq!(
            parse_date("2017-01-25 14:36:00"),
            Some(date!(2017 - 01 - 25))
        );
        assert_eq!(parse_date("2017/01/25"), Some(date!(2017 - 01 - 25)));
        assert_eq!(parse_date("25/01/2017"), Some(date!(2017 - 01 - 25)));
        assert_eq!(parse_date("5/1/2017"), Some(date!(2017 - 01 - 05)));
        assert_eq!(parse_date("25.01.2017"), Some(date!(2017 - 01 - 25)));
        assert_eq!(parse_date("25/01/2017 09:15"), Some(date!(2017 - 01 - 25)));
        // Arabic-Indic and extended Arabic-Indic digits.
        assert_eq!(parse_date("٢٠١٧-٠١-٢٥"), Some(date!(2017 - 01 - 25)));
        assert_eq!(parse_date("۲۵/۰۱/۲۰۱۷"), Some(date!(2017 - 01 - 25)));
    }

    #[test]
    fn invalid_numeric_dates() {
        for bad in [
            "",
            "   ",
            "2021-02-30",
            "0000-01-01",
            "2021-13-01",
            "2021-00-10",
            "2021-01-00",
            "2021-01-01abc",
            "2021-01/01",
            "21-01-01",
            "01/25/2017",
            "2017-01-25T25:00:00Z",
            "2017-01-25T12:60:00Z",
            "2017-01-25T12:00:00+25:00",
            "2017-01-25T12",
            "2017-01-25 12:00 Paris",
            "20170125",
            "tomorrow",
            "2017-01-25-",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?} should not parse");
        }
    }

    #[test]
    fn egyptian_gulf_months() {
        assert_eq!(
            parse_arabic_date_phrase("٢٣ أكتوبر ٢٠٢٤"),
            Some(date!(2024 - 10 - 23))
        );
        assert_eq!(
            parse_arabic_date_phrase("1 يناير 2020"),
            Some(date!(2020 - 01 - 01))
        );
        assert_eq!(
            parse_arabic_date_phrase("15 إبريل 2019"),
            Some(date!(2019 - 04 - 15))
        );
        assert_eq!(
            parse_arabic_date_phrase("15 ابريل 2019"),
            Some(date!(2019 - 04 - 15))
        );
        assert_eq!(
            parse_arabic_date_phrase("3 يوليه 2018"),
            Some(date!(2018 - 07 - 03))
        );
        assert_eq!(
            parse_arabic_date_phrase("30 يونيه 2018"),
            Some(date!(2018 - 06 - 30))
        );
        assert_eq!(
            parse_arabic_date_phrase("9 سيبتمبر 2001"),
            Some(date!(2001 - 09 - 09))
        );
    }

    #[test]
    fn levantine_iraqi_months() {
        assert_eq!(
            parse_arabic_date_phrase("12 كانون الثاني 2021"),
            Some(date!(2021 - 01 - 12))
        );
        assert_eq!(
            parse_arabic_date_phrase("١٥ آذار ٢٠١١"),
            Some(date!(2011 - 03 - 15))
        );
        assert_eq!(
            parse_arabic_date_phrase("6 آب 2020"),
            Some(date!(2020 - 08 - 06))
        );
        assert_eq!(
            parse_arabic_date_phrase("1 تشرين الأول 2019"),
            Some(date!(2019 - 10 - 01))
        );
        assert_eq!(
            parse_arabic_date_phrase("25 كانون الأول 2022"),
            Some(date!(2022 - 12 - 25))
        );
        // Written without hamza or madda.
        assert_eq!(
            parse_arabic_date_phrase("7 ايار 2016"),
            Some(date!(2016 - 05 - 07))
        );
    }

    #[test]
    fn maghreb_months() {
        assert_eq!(
            parse_arabic_date_phrase("14 جانفي 2011"),
            Some(date!(2011 - 01 - 14))
        );
        assert_eq!(
            parse_arabic_date_phrase("5 جويلية 2017"),
            Some(date!(2017 - 07 - 05))
        );
        assert_eq!(
            parse_arabic_date_phrase("20 أوت 2016"),
            Some(date!(2016 - 08 - 20))
        );
        assert_eq!(
            parse_arabic_date_phrase("9 أفريل 2015"),
            Some(date!(2015 - 04 - 09))
        );
        assert_eq!(
            parse_arabic_date_phrase("1 جوان 2014"),
            Some(date!(2014 - 06 - 01))
        );
    }

    #[test]
    fn moroccan_months() {
        assert_eq!(
            parse_arabic_date_phrase("30 يوليوز 2019"),
            Some(date!(2019 - 07 - 30))
        );
        assert_eq!(
            parse_arabic_date_phrase("14 غشت 2020"),
            Some(date!(2020 - 08 - 14))
        );
        assert_eq!(
            parse_arabic_date_phrase("2 شتنبر 2021"),
            Some(date!(2021 - 09 - 02))
        );
        assert_eq!(
            parse_arabic_date_phrase("18 نونبر 2022"),
            Some(date!(2022 - 11 - 18))
        );
        assert_eq!(
            parse_arabic_date_phrase("31 دجنبر 2023"),
            Some(date!(2023 - 12 - 31))
        );
    }

    #[test]
    fn every_name_in_the_table() {
        let systems: [(&str, [&str; 12]); 4] = [
            (
                "Egyptian/Gulf",
                [
                    "يناير",
                    "فبراير",
                    "مارس",
                    "أبريل",
                    "مايو",
                    "يونيو",
                    "يوليو",
                    "أغسطس",
                    "سبتمبر",
                    "أكتوبر",
                    "نوفمبر",
                    "ديسمبر",
                ],
            ),
            (
                "Levantine/Iraqi",
                [
                    "كانون الثاني",
                    "شباط",
                    "آذار",
                    "نيسان",
                    "أيار",
                    "حزيران",
                    "تموز",
                    "آب",
                    "أيلول",
                    "تشرين الأول",
                    "تشرين الثاني",
                    "كانون الأول",
                ],
            ),
            (
                "Algeria/Tunisia",
                [
                    "جانفي",
                    "فيفري",
                    "مارس",
                    "أفريل",
                    "ماي",
                    "جوان",
                    "جويلية",
                    "أوت",
                    "سبتمبر",
                    "أكتوبر",
                    "نوفمبر",
                    "ديسمبر",
                ],
            ),
            (
                "Morocco",
                [
                    "يناير",
                    "فبراير",
                    "مارس",
                    "أبريل",
                    "ماي",
                    "يونيو",
                    "يوليوز",
                    "غشت",
                    "شتنبر",
                    "أكتوبر",
                    "نونبر",
                    "دجنبر",
                ],
            ),
        ];
        for (system, names) in systems {
            for (i, name) in names.iter().enumerate() {
                let expected = Month::try_from(i as u8 + 1).unwrap();
                assert_eq!(month_from_name(name), Some(expected), "{system}: {name}");
            }
        }
    }

    #[test]
    fn spelling_variants_are_normalized() {
        // Diacritics, tatweel, teh marbuta written as heh, extra spaces.
        assert_eq!(month_from_name("أَيّار"), Some(Month::May));
        assert_eq!(month_from_name("أكتـــوبر"), Some(Month::October));
        assert_eq!(month_from_name("جويليه"), Some(Month::July));
        assert_eq!(month_from_name("  تشرين   الثاني "), Some(Month::November));
        assert_eq!(month_from_name("اغسطس"), Some(Month::August));
        assert_eq!(month_from_name("\u{200F}مارس"), Some(Month::March));
        assert_eq!(month_from_name("مارسيليا"), None);
        assert_eq!(month_from_name(""), None);
    }

    #[test]
    fn combined_month_names() {
        assert_eq!(
            parse_arabic_date_phrase("23 أيار/مايو 2021"),
            Some(date!(2021 - 05 - 23))
        );
        assert_eq!(
            parse_arabic_date_phrase("1 تشرين الأول/أكتوبر 2020"),
            Some(date!(2020 - 10 - 01))
        );
        assert_eq!(
            parse_arabic_date_phrase("5 أيار (مايو) 2019"),
            Some(date!(2019 - 05 - 05))
        );
        assert_eq!(
            parse_arabic_date_phrase("8 تشرين الثاني / نوفمبر 2018"),
            Some(date!(2018 - 11 - 08))
        );
        // The first alternative that is a month wins.
        assert_eq!(
            parse_arabic_date("3", "شهر/حزيران", "2020"),
            Some(date!(2020 - 06 - 03))
        );
    }

    #[test]
    fn digit_systems() {
        assert_eq!(
            parse_arabic_date("٢٣", "أكتوبر", "٢٠٢٤"),
            Some(date!(2024 - 10 - 23))
        );
        assert_eq!(
            parse_arabic_date("۲۳", "أكتوبر", "۲۰۲۴"),
            Some(date!(2024 - 10 - 23))
        );
        assert_eq!(
            parse_arabic_date("23", "أكتوبر", "٢٠٢٤"),
            Some(date!(2024 - 10 - 23))
        );
        assert_eq!(
            parse_arabic_date("05", "مايو", "2024"),
            Some(date!(2024 - 05 - 05))
        );
    }

    #[test]
    fn arabic_date_edge_cases() {
        // Days that do not exist.
        assert_eq!(parse_arabic_date_phrase("31 فبراير 2024"), None);
        assert_eq!(parse_arabic_date_phrase("29 شباط 2023"), None);
        assert_eq!(
            parse_arabic_date_phrase("29 شباط 2024"),
            Some(date!(2024 - 02 - 29))
        );
        assert_eq!(parse_arabic_date_phrase("0 مارس 2024"), None);
        assert_eq!(parse_arabic_date_phrase("1 مارس 0000"), None);
        assert_eq!(parse_arabic_date_phrase("31 نيسان 2024"), None);
        // Wrong shapes.
        assert_eq!(parse_arabic_date_phrase("23 أكتوبر"), None);
        assert_eq!(parse_arabic_date_phrase("أكتوبر 2024"), None);
        assert_eq!(parse_arabic_date_phrase("23 فلان 2024"), None);
        assert_eq!(parse_arabic_date_phrase("123 أكتوبر 2024"), None);
        assert_eq!(parse_arabic_date_phrase("23 أكتوبر 24"), None);
        assert_eq!(parse_arabic_date_phrase("خبر عاجل 23 أكتوبر 2024"), None);
        assert_eq!(parse_arabic_date_phrase(""), None);
        // Accepted decorations: weekday, era mark, comma.
        assert_eq!(
            parse_arabic_date_phrase("الأربعاء، ٢٣ أكتوبر ٢٠٢٤م"),
            Some(date!(2024 - 10 - 23))
        );
        assert_eq!(
            parse_arabic_date_phrase("23 أكتوبر، 2024 م"),
            Some(date!(2024 - 10 - 23))
        );
        // parse_date falls back to phrases.
        assert_eq!(parse_date(" ٢٣ أكتوبر ٢٠٢٤ "), Some(date!(2024 - 10 - 23)));
    }

    #[test]
    fn split_trailing_date_finds_the_last_date() {
        let parts = split_trailing_date("كأس العالم 2022 ٢٣ أكتوبر ٢٠٢٤").unwrap();
        assert_eq!(parts.prefix, "كأس العالم 2022");
        assert_eq!(parts.day, "٢٣");
        assert_eq!(parts.month, "أكتوبر");
        assert_eq!(parts.year, "٢٠٢٤");
        assert_eq!(parts.text, "٢٣ أكتوبر ٢٠٢٤");

        let parts = split_trailing_date("سياسة 1 تشرين الأول/أكتوبر 2020").unwrap();
        assert_eq!(parts.prefix, "سياسة");
        assert_eq!(parts.month, "تشرين الأول/أكتوبر");

        assert_eq!(split_trailing_date("منوعات"), None);
        assert_eq!(split_trailing_date("منوعات 2024"), None);
        assert_eq!(split_trailing_date("10 2024"), None);
    }

    fn fragments() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "٢٣",
            "23",
            "۲۰۲۴",
            "2024",
            "أكتوبر",
            "تشرين",
            "الأول",
            "/",
            "(",
            ")",
            " ",
            "-",
            ":",
            "T",
            "Z",
            "+01:00",
            "م",
            "،",
            "ـ",
            "\u{064B}",
            "12",
            "0",
            "9999999999",
            "الأربعاء",
        ]);
        prop::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn date_parsers_never_panic(s in any::<String>(), f in fragments()) {
            for input in [&s, &f] {
                if let Some(d) = parse_date(input) {
                    prop_assert!((1..=9999).contains(&d.year()));
                }
                let _ = parse_arabic_date_phrase(input);
                let _ = month_from_name(input);
                let _ = parse_arabic_date(input, input, input);
                if let Some(parts) = split_trailing_date(input) {
                    prop_assert!(input.contains(parts.text));
                }
            }
        }

        #[test]
        fn valid_dates_round_trip(y in 1000i32..=9999, ordinal in 1u16..=365) {
            let d = Date::from_ordinal_date(y, ordinal).unwrap();
            let (m, day) = (d.month() as u8, d.day());
            let iso = format!("{y:04}-{m:02}-{day:02}");
            prop_assert_eq!(parse_date(&iso), Some(d));
            let dmy = format!("{day}/{m}/{y}");
            prop_assert_eq!(parse_date(&dmy), Some(d));
            let rfc = format!("{iso}T23:59:59-11:00");
            prop_assert_eq!(parse_date(&rfc), Some(d));
            let names = ["يناير", "شباط", "مارس", "نيسان", "ماي", "حزيران",
                         "جويلية", "غشت", "أيلول", "تشرين الأول", "نونبر", "كانون الأول"];
            let phrase = format!("{day} {} {y}", names[usize::from(m) - 1]);
            prop_assert_eq!(parse_arabic_date_phrase(&phrase), Some(d));
        }
    }
}
