//! `fahras completions SHELL` and `fahras man`: generated from the clap definitions, so they
//! know every command and flag the binary has.

use std::process::Command;

use crate::{fahras_in, TestDir};

fn stdout_of(args: &[&str]) -> String {
    let dir = TestDir::new();
    let out = fahras_in(dir.path(), args, None);
    assert_eq!(out.code, 0, "{out:?}");
    out.stdout
}

#[test]
fn bash_completes_commands_and_flags() {
    let dir = TestDir::new();
    let script = dir.write("fahras.bash", stdout_of(&["completions", "bash"]));
    // Load the script into bash and ask its completion function, as bash does on TAB.
    let complete = |words: &str| {
        let program = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _fahras fahras \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = Command::new("bash")
            .args(["-c", &program])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let commands = complete("fahras sea");
    assert_eq!(commands.trim(), "search", "{commands}");
    let flags = complete("fahras search --bi");
    assert_eq!(flags.trim(), "--bidi", "{flags}");
    let values = complete("fahras search --bidi ''");
    let mut values: Vec<&str> = values.split_whitespace().collect();
    values.sort();
    assert_eq!(values, ["auto", "terminal", "visual"]);
}

#[test]
fn zsh_and_fish_scripts_know_the_flags() {
    let zsh = stdout_of(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef fahras"), "{zsh}");
    assert!(zsh.contains("--bidi=") && zsh.contains("--since="));
    let fish = stdout_of(&["completions", "fish"]);
    assert!(
        fish.contains("complete -c fahras -n \"__fish_fahras_using_subcommand search\" -l bidi")
    );
    let out = fahras_in(TestDir::new().path(), &["completions", "tcsh"], None);
    assert_eq!(out.code, 2, "an unknown shell is an error: {out:?}");
}

#[test]
fn man_pages_for_fahras_and_each_command() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH fahras 1"), "{page}");
    for command in ["search", "index", "stats", "completions", "man"] {
        assert!(
            page.contains(&format!("fahras\\-{command}(1)")),
            "{command}"
        );
    }
    let search = stdout_of(&["man", "search"]);
    assert!(search.contains(".TH fahras-search 1"));
    assert!(search.contains("FAHRAS_BIDI") && search.contains("\\-\\-since"));

    let dir = TestDir::new();
    let out = fahras_in(dir.path(), &["man", "--dir", "."], None);
    assert_eq!(out.code, 0, "{out:?}");
    for name in [
        "fahras.1",
        "fahras-search.1",
        "fahras-index.1",
        "fahras-eval.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(
            text.starts_with(".ie") && text.contains(".SH NAME"),
            "{name}"
        );
    }
    let out = fahras_in(dir.path(), &["man", "serach"], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no command \"serach\": one of search, index,")
            && out.stderr.contains(", completions, man\n"),
        "{}",
        out.stderr
    );
}
