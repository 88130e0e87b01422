use clout::experiment::rare::{Rare, RareSpec};
use clout::{Runner, Scenario};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let target = args.get(1).cloned().unwrap_or("macro".into());
    let roots: u64 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(200_000);
    let scenario = Scenario::builtin("default").unwrap();
    let model = scenario.career_model().unwrap();
    let rare = Rare::new(model, RareSpec { target: target.clone(), ..Default::default() }).unwrap();
    let t = std::time::Instant::now();
    let runner = Runner::new(7);
    let pilot = rare.pilot(&runner);
    let tp = t.elapsed().as_secs_f64();
    for r0 in &pilot.rounds { println!("  share {:.4} elite {:.3e} {:?}", r0.hit_share, r0.elite_level, r0.proposal); }
    let (s, _) = rare.run_range(&runner, 0..roots);
    let r = rare.report(&s);
    let total = t.elapsed().as_secs_f64() - tp; // run_range reruns the pilot
    for l in &r.levels {
        println!("{} est {:.4e} se {:.2e} rel95 {:.3} hits {} ess {:.0} share {:.4} {}", l.level, l.estimate, l.std_error, l.relative_half_width.unwrap_or(f64::NAN), l.hits, l.hit_ess, l.largest_share, l.warning);
    }
    println!("pilot {:.1}s total {:.1}s {:?} rounds {}", tp, total, pilot.outcome, pilot.rounds.len());
}
