//! Attribution: Sobol indices against exact values (Ishigami, an additive
//! model), luck replays on models with known answers, counterfactual edits.

use clout::experiment::attribute::{
    Additive, AttributeSpec, Attribution, Change, Counterfactuals, Ishigami, Replays, Sobol, TraitEdit,
};
use clout::model::career::{CareerModel, CareerSpec};
use clout::stats::Estimate;
use clout::{Model, Runner, Scenario, Tier};

/// `|estimate - exact| <= 4 SE`, with a message.
fn within_4se(what: &str, e: &Estimate, exact: f64) {
    let z = (e.value - exact) / e.std_error;
    assert!(z.abs() <= 4.0, "{what}: {} vs exact {exact} (SE {}, z {z:.2})", e.value, e.std_error);
}

#[test]
fn ishigami_indices_match_the_exact_values() {
    let model = Ishigami { a: 7.0, b: 0.1 };
    let (s1, st) = model.exact();
    assert!((s1[0] - 0.3139).abs() < 1e-4 && (st[2] - 0.2437).abs() < 1e-4);
    let sobol = Sobol::new(model, 100);
    let report = sobol.report(&Runner::new(11).run(&sobol, 200_000).summary);
    let y = report.output("y").unwrap();
    for (i, name) in ["x1", "x2", "x3"].iter().enumerate() {
        let input = y.input(name).unwrap();
        eprintln!("{name}: S1 {:?} ST {:?}", input.first_order, input.total);
        within_4se(&format!("S1 {name}"), &input.first_order, s1[i]);
        within_4se(&format!("ST {name}"), &input.total, st[i]);
        assert!(input.first_order.std_error < 0.01 && input.total.std_error < 0.01);
        // Total >= first order, within their errors.
        let slack = 4.0 * (input.first_order.std_error + input.total.std_error);
        assert!(input.total.value >= input.first_order.value - slack);
    }
    // The first-order indices sum to 1 - S13 = 0.7563 (< 1: x1 and x3 interact).
    let sum = y.sum_first_order.unwrap();
    within_4se("sum S1", &sum, s1.iter().sum());
    assert!(sum.value <= 1.0 + 4.0 * sum.std_error);
}

#[test]
fn additive_model_shares_are_recovered() {
    let model = Additive { weights: vec![2.0, 1.0, 0.5], luck_weight: 1.5 };
    let exact = model.exact();
    let sobol = Sobol::new(model, 100);
    let report = sobol.report(&Runner::new(5).run(&sobol, 100_000).summary);
    let y = report.output("y").unwrap();
    for (i, input) in y.indices.iter().enumerate() {
        eprintln!("{}: {:?} {:?}", input.input, input.first_order, input.total);
        within_4se(&format!("S1 {}", input.input), &input.first_order, exact[i]);
        within_4se(&format!("ST {}", input.input), &input.total, exact[i]);
    }
    assert_eq!(y.indices.last().unwrap().input, "luck");
    within_4se("sum S1", y.sum_first_order.as_ref().unwrap(), 1.0);
}
