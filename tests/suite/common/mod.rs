//! Helpers shared by the integration tests.

/// A load error of source `file` with its `:line:column` checked and taken
/// out, so that expectations read as `file: field = value: allowed`.
pub fn without_position(e: &str, file: &str) -> String {
    let rest = e.strip_prefix(&format!("{file}:")).unwrap_or_else(|| panic!("{e}"));
    let mut parts = rest.splitn(3, ':');
    let (line, column, tail) =
        (parts.next().unwrap(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    assert!(line.parse::<u32>().is_ok() && column.parse::<u32>().is_ok(), "no line:column in {e}");
    format!("{file}:{tail}")
}

/// The one-line error a scenario made of `section` (TOML text) gets when
/// read as `bad.toml`.
pub fn scenario_error(section: &str) -> String {
    let text = format!("name = \"bad\"\n{section}\n");
    let message = clout::Scenario::from_toml_str(&text, "bad.toml").unwrap_err().to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    message
}

/// A `[start]` at the entry state (day 0, no followers, every trait drawn):
/// a given state that is exactly a plain trial.
pub fn entry_start() -> clout::model::career::conditional::StartSpec {
    clout::model::career::conditional::StartSpec {
        career_day: 0,
        followers: 0,
        platform_day: None,
        followers_at_last_review: None,
        talent: None,
        effort: None,
        niche: None,
        trials: None,
    }
}
