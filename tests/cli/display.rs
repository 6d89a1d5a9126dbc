//! Human output for terminals: `--bidi visual` (wrap, reorder, mirror, right-align, shape),
//! colors kept per whole word, the defaults for pipes and terminals, NO_COLOR, and the switch
//! of VTE-like terminals to explicit bidi mode.
//!
//! Expected display orders are those of the Unicode Bidirectional Algorithm; each was also
//! checked against GNU FriBidi 1.0.8 (`fribidi --nobreak --nopad`, its shaping undone by NFKC).

use std::path::Path;
use std::process::Command;

use crate::{fahras_env, index_articles, index_json, TestDir};

/// An archive of one article mixing Arabic with digits, Latin names and brackets.
fn archive() -> TestDir {
    let dir = TestDir::new();
    let article = serde_json::json!({
        "id": "m1",
        "title": "قتل 25 شخصا في (الموصل) عام 2024 حسب Reuters [عاجل]",
        "body": "أعلنت الشرطة أن والمدينة شهدت 3 انفجارات قرب سوق الخضار الرئيسي صباح الأحد، \
                 وقال شهود لوكالة AFP إن الدخان غطى الحي القديم.",
        "date": "2024-03-05",
        "source": "وكالة الأنباء",
    });
    index_json(&dir, &[article]);
    dir
}

/// The output of searching المدينة, with the time taken blanked out.
fn search(dir: &TestDir, extra: &[&str], vars: &[(&str, &str)]) -> String {
    let mut args = vec!["search", "--index", "idx"];
    args.extend_from_slice(extra);
    args.push("المدينة");
    let out = fahras_env(dir.path(), &args, None, vars);
    assert_eq!(out.code, 0, "{out:?}");
    match out.stdout.find(" ms)") {
        Some(end) if !extra.contains(&"--json") => {
            let start = out.stdout[..end].rfind('(').unwrap();
            format!("{}(_{}", &out.stdout[..start], &out.stdout[end..])
        }
        _ => out.stdout,
    }
}

const COLUMNS_60: &[(&str, &str)] = &[("COLUMNS", "60")];

#[test]
fn visual_order_of_mixed_lines() {
    let dir = archive();
    let out = search(&dir, &["--bidi", "visual", "--shape", "never"], COLUMNS_60);
    let lines: Vec<&str> = out.lines().collect();
    // The header is a left-to-right paragraph: left-aligned, the query inside reversed.
    assert!(
        lines[0] == "1 article matches all words of «ةنيدملا» (_ ms)",
        "{out}"
    );
    assert_eq!(lines[1], "");
    // The title: words right to left, numbers and the Latin name in their own order, brackets
    // mirrored; right-aligned, with the rank in the right margin.
    assert_eq!(
        lines[2],
        "    [لجاع] Reuters بسح 2024 ماع (لصوملا) يف اصخش 25 لتق  1"
    );
    // The metadata line: the date (digits) ends up at the right, where the line starts.
    assert_eq!(
        lines[3],
        format!("{}m1 · ءابنألا ةلاكو · 2024-03-05", " ".repeat(24))
    );
    // The snippet: wrapped to 55 columns in logical order first, then each display line
    // reordered and right-aligned 5 columns from the right edge; the highlight covers the
    // whole word (والمدينة, not only the matched المدينة).
    assert_eq!(
        &lines[4..],
        &[
            "     قوس برق تاراجفنا 3 تدهش [ةنيدملاو] نأ ةطرشلا تنلعأ",
            "     نإ AFP ةلاكول دوهش لاقو ،دحألا حابص يسيئرلا راضخلا",
            "                                .ميدقلا يحلا ىطغ ناخدلا",
        ]
    );
    for line in &lines {
        assert!(line.chars().count() <= 60, "wider than COLUMNS: {line:?}");
    }
}

#[test]
fn colors_survive_the_reordering_word_by_word() {
    let dir = archive();
    let out = search(
        &dir,
        &["--bidi", "visual", "--shape", "never", "--color", "always"],
        COLUMNS_60,
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[2],
        "    \x1b[1m[لجاع] Reuters بسح 2024 ماع (لصوملا) يف اصخش 25 لتق\x1b[0m  1"
    );
    let snippet = lines
        .iter()
        .find(|l| l.contains("تنلعأ"))
        .expect("the snippet's first line");
    assert!(
        snippet.contains(" تدهش \x1b[1;33mةنيدملاو\x1b[0m نأ ةطرشلا تنلعأ"),
        "{snippet:?}"
    );
}

#[test]
fn piped_output_is_logical_unless_visual_is_asked_for() {
    let dir = archive();
    let logical = search(&dir, &[], COLUMNS_60);
    assert!(
        logical.contains("  1  قتل 25 شخصا في (الموصل) عام 2024 حسب Reuters [عاجل]\n"),
        "{logical}"
    );
    assert_eq!(search(&dir, &["--bidi", "terminal"], COLUMNS_60), logical);
    // FAHRAS_BIDI=visual applies to piped output (and FAHRAS_SHAPE); the flag overrides it.
    let vars = [
        ("COLUMNS", "60"),
        ("FAHRAS_BIDI", "visual"),
        ("FAHRAS_SHAPE", "never"),
    ];
    let visual = search(&dir, &[], &vars);
    assert!(visual.contains("Reuters بسح"), "{visual}");
    let flag = search(
        &dir,
        &["--bidi", "terminal"],
        &[("COLUMNS", "60"), ("FAHRAS_BIDI", "visual")],
    );
    assert_eq!(flag, logical);
    // A bad value is an error that says what to write.
    let out = fahras_env(
        dir.path(),
        &["search", "--index", "idx", "المدينة"],
        None,
        &[("FAHRAS_BIDI", "rtl")],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("visual, terminal, auto"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_is_never_reordered() {
    let dir = archive();
    let plain = search(&dir, &["--json"], &[]);
    let visual = search(
        &dir,
        &["--json", "--bidi", "visual", "--shape", "always"],
        &[],
    );
    let strip = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["took_ms"] = 0.into();
        v
    };
    assert_eq!(strip(&plain), strip(&visual));
    assert!(plain.contains("قتل 25 شخصا في (الموصل)"));
}

#[test]
fn shaping_joins_the_letters_for_terminals_that_shape_nothing() {
    let dir = TestDir::new();
    index_articles(&dir, &[("s1", "فتح بوابات سد", "فتح بوابات سد")]);
    let run = |extra: &[&str]| {
        let mut args = vec!["search", "--index", "idx", "--bidi", "visual"];
        args.extend_from_slice(extra);
        args.push("سد");
        let out = fahras_env(dir.path(), &args, None, &[("COLUMNS", "30")]);
        assert_eq!(out.code, 0, "{out:?}");
        let title = out.stdout.lines().find(|l| l.ends_with("  1"));
        title.expect("a title line").trim().to_string()
    };
    // Presentation forms, in visual order: final dal, initial seen; final teh, final alef,
    // initial beh, final alef (alef does not join to the left), medial waw ...; as FriBidi
    // shapes them.
    let shaped = "\u{FEAA}\u{FEB3} \u{FE95}\u{FE8E}\u{FE91}\u{FE8D}\u{FEEE}\u{FE91} \u{FEA2}\u{FE98}\u{FED3}  1";
    assert_eq!(run(&[]), shaped, "shaping is the default of visual order");
    assert_eq!(run(&["--shape", "always"]), shaped);
    assert_eq!(run(&["--shape", "never"]), "دس تاباوب حتف  1");
}

/// Runs fahras on a pseudo-terminal (`script` from util-linux), as a person at a terminal
/// would; returns what the terminal received.
fn on_terminal(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> String {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_fahras"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let mut command = Command::new("script");
    command
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .current_dir(dir)
        .env("COLUMNS", "60")
        .env_remove("NO_COLOR");
    for name in [
        "FAHRAS_BIDI",
        "FAHRAS_SHAPE",
        "VTE_VERSION",
        "KONSOLE_VERSION",
        "MLTERM",
    ] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let out = command
        .output()
        .expect("`script` (util-linux) runs fahras on a pseudo-terminal");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n")
}

#[test]
fn on_a_terminal_the_defaults_follow_the_terminal_and_no_color() {
    let dir = archive();
    let args = ["search", "--index", "idx", "--shape", "never", "المدينة"];
    // xterm and the like: visual order, colored, wrapped in BDSM explicit mode and back.
    let out = on_terminal(dir.path(), &args, &[]);
    assert!(out.starts_with("\x1b[8l"), "{out:?}");
    assert!(out.ends_with("\x1b[8h"), "{out:?}");
    assert!(out.contains("\x1b[1;33mةنيدملاو\x1b[0m"), "{out:?}");
    // NO_COLOR: the same layout without a color.
    let out = on_terminal(dir.path(), &args, &[("NO_COLOR", "1")]);
    assert!(!out.contains("\x1b[1"), "{out:?}");
    assert!(out.contains("[ةنيدملاو]"), "{out:?}");
    // An empty NO_COLOR does not count (no-color.org).
    let out = on_terminal(dir.path(), &args, &[("NO_COLOR", "")]);
    assert!(out.contains("\x1b[1;33m"), "{out:?}");
    // GNOME Terminal (VTE) and Konsole reorder themselves: logical order, no mode switch.
    for var in ["VTE_VERSION", "KONSOLE_VERSION"] {
        let out = on_terminal(dir.path(), &args, &[(var, "7600")]);
        assert!(!out.contains("\x1b[8l"), "{out:?}");
        assert!(out.contains("قتل 25 شخصا في (الموصل)"), "{out:?}");
    }
}
