//! Coverage-guided fuzzing of the scenario parser and validator: any bytes,
//! read as a scenario, must give a scenario or a one-line error naming the
//! source, never a panic (and a scenario that loads builds its sweep, if any).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match clout::Scenario::from_toml_str(text, "fuzz.toml") {
        Ok(scenario) => {
            if scenario.sweep.is_some() {
                let _ = scenario.sweep();
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("fuzz.toml"), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }
});
