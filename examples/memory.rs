//! Peak memory of a large sweep, and of merging and plotting its record:
//! the figures docs/PERFORMANCE.md ("Memory") states its bound from.
//!
//! `cargo run --release --example memory [POINTS] [TRIALS] [THREADS]`
//! (defaults 10000 points, 10 trials a point, every core). Each step runs
//! in a process of its own (this program, started again), so each peak is
//! that step's alone: the sweep (built, run, its record written as
//! `clout sweep --format json` writes it), a merge of its record as `clout
//! merge` reads and writes it, and its picture as `clout plot` draws it.
//! Peaks are the kernel's `VmHWM` (Linux) in MiB; file sizes are in MB
//! (10^6 bytes). They print; nothing is asserted.

use clout::Runner;
use clout::scenario::Scenario;
use clout::scenario::sweep::Sweep;
use clout::study::files::read_merged;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A Sobol sweep of `points` points of the default creators, five years,
/// over effort and entry day.
fn scenario(points: usize, trials: u64) -> Scenario {
    let text = format!(
        "name = \"memory\"\n[run]\ntrials = {trials}\nseed = 2026\n\
         [observation]\nkind = \"cohort\"\nhorizon_days = 1825\n\
         [sweep]\ndesign = \"sobol\"\npoints = {points}\n\
         [sweep.ranges]\n\"population.effort.median\" = [1.0, 10.0]\n\"population.entry_day\" = [0, 3650]\n"
    );
    Scenario::from_toml_str(&text, "memory.toml").expect("a valid sweep")
}

/// This process's peak resident memory in MiB (`VmHWM`, which the kernel
/// gives in KiB), if the system says.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Writes `record` as pretty JSON into `path`, as it serializes (as `clout`
/// writes `--format json`).
fn write_json<T: serde::Serialize>(path: &Path, record: &T) {
    clout::error::write_atomic_with(path, |w| {
        serde_json::to_writer_pretty(&mut *w, record).map_err(std::io::Error::from)?;
        w.write_all(b"\n")
    })
    .expect("the record is written");
}

/// Whether two files hold the same bytes, read a block at a time (not
/// whole: that would be the peak measured).
fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let open = |p: &Path| std::io::BufReader::new(std::fs::File::open(p).unwrap());
    let (mut a, mut b) = (open(a), open(b));
    let (mut x, mut y) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = a.read(&mut x).unwrap();
        if n == 0 {
            return b.read(&mut y).unwrap() == 0;
        }
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

/// One step, in this process: prints `seconds peak_mib extra`.
fn step(name: &str, args: &[String]) {
    let started = Instant::now();
    let path = PathBuf::from(&args[0]);
    let extra = match name {
        "sweep" => {
            let (points, trials, threads) =
                (args[1].parse().unwrap(), args[2].parse().unwrap(), args[3].parse().unwrap());
            let scenario = scenario(points, trials);
            let sweep = scenario.sweep().expect("a valid sweep");
            let record = sweep.run_large(&Runner::new(scenario.run.seed).threads(threads));
            write_json(&path, &record);
            let bytes = std::fs::metadata(&path).unwrap().len();
            format!("record {:.1} MB (bound {:.1} MB)", bytes as f64 / 1e6, sweep.record_bytes() as f64 / 1e6)
        }
        "merge" => {
            let record =
                read_merged::<Sweep>(std::slice::from_ref(&path), false).expect("the record reads back");
            let out = path.with_extension("merged.json");
            write_json(&out, &record);
            let same = same_bytes(&out, &path);
            format!("byte for byte the record: {same}")
        }
        "plot" => {
            use clout::report::plot::Plot;
            let record =
                read_merged::<Sweep>(std::slice::from_ref(&path), true).expect("the record reads back");
            let dir = path.with_extension("plot");
            let files = record.plot(&dir).expect("the sweep draws");
            let bytes = std::fs::metadata(&files[0]).unwrap().len();
            format!("sweep.svg {:.0} KB", bytes as f64 / 1e3)
        }
        _ => panic!("no step {name}"),
    };
    let peak = peak_mib().map_or("?".into(), |mib| format!("{mib:.0}"));
    println!("{:.1} {peak} {extra}", started.elapsed().as_secs_f64());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--step") {
        return step(&args[1], &args[2..]);
    }
    let points: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let trials: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let threads: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let threads_used = Runner::new(0).threads(threads).threads_used();
    let dir = std::env::temp_dir().join(format!("clout-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let record = dir.join("sweep.json").display().to_string();
    println!(
        "a Sobol sweep of {points} points x {trials} trials (five-year careers), {threads_used} thread(s)"
    );
    println!("{:<8} {:>9} {:>13}", "step", "seconds", "peak MiB");
    let me = std::env::current_exe().unwrap();
    let run = |name: &str, extra: &[String]| {
        let mut cmd = Command::new(&me);
        cmd.args(["--step", name, &record]).args(extra);
        let out = cmd.output().expect("the step runs");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stdout);
        let mut words = line.trim().splitn(3, ' ');
        let (seconds, peak, extra) =
            (words.next().unwrap(), words.next().unwrap(), words.next().unwrap_or(""));
        println!("{name:<8} {seconds:>9} {peak:>13}  {extra}");
    };
    run("sweep", &[points.to_string(), trials.to_string(), threads.to_string()]);
    run("merge", &[]);
    run("plot", &[]);
    std::fs::remove_dir_all(&dir).ok();
}
