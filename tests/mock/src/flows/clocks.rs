//! Time: Stripe's test clocks (`/v1/test_helpers/test_clocks`) and the mock's own clock
//! ([`crate::Handle::clock`]). Moving either forward runs what falls due on the way, in order:
//! trials end, periods renew with a new invoice that is finalized and paid (or fails and leaves
//! the subscription `past_due`), subscriptions set to cancel at the period end are canceled.
//! A test clock moves the subscriptions of the customers attached to it; the mock's clock moves
//! the others.

use serde_json::{json, Value};

use super::{field, int, invalid, subscriptions, Ctx};
use crate::engine::{Failure, State};

pub const RESOURCE: &str = "test_helpers.test_clock";

/// `POST /v1/test_helpers/test_clocks`: a clock frozen at `frozen_time`.
pub fn create(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let frozen = int(ctx.params, &["frozen_time"]).unwrap_or(ctx.now);
    let mut clock = ctx.new_object(RESOURCE, "clock_");
    clock.insert("frozen_time".to_owned(), Value::from(frozen));
    clock.insert("status".to_owned(), Value::from("ready"));
    clock.insert("deletes_after".to_owned(), Value::from(frozen + 30 * 86_400));
    clock.insert("status_details".to_owned(), json!({}));
    let clock = Value::Object(clock);
    ctx.put(RESOURCE, &clock);
    ctx.emit("test_helpers.test_clock.created", &clock, None);
    Ok(clock)
}

/// `POST /v1/test_helpers/test_clocks/{test_clock}/advance`: moves the clock to `frozen_time`
/// and runs what falls due. Stripe answers `advancing` and works in the background; the mock does
/// the work before answering, so the clock it answers is `ready` again.
pub fn advance_request(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let id = ctx.path_id().to_owned();
    let mut clock = ctx.get(RESOURCE, &id, "test_clock")?;
    let current = clock.get("frozen_time").and_then(Value::as_i64).unwrap_or(0);
    let Some(target) = int(ctx.params, &["frozen_time"]) else {
        return Err(invalid(
            "Missing required param: frozen_time.",
            Some("frozen_time"),
            Some("parameter_missing"),
        ));
    };
    if target <= current {
        return Err(invalid(
            format!("The frozen_time ({target}) must be after the test clock's current frozen_time ({current})."),
            Some("frozen_time"),
            None,
        ));
    }
    ctx.now = current;
    clock["status"] = Value::from("advancing");
    ctx.put(RESOURCE, &clock);
    ctx.emit("test_helpers.test_clock.advancing", &clock, None);
    let customers = customers_on(ctx.state, Some(&id));
    run_until(ctx, target, &customers);
    clock["frozen_time"] = Value::from(target);
    clock["status"] = Value::from("ready");
    ctx.now = target;
    ctx.put(RESOURCE, &clock);
    ctx.emit("test_helpers.test_clock.ready", &clock, None);
    Ok(clock)
}

/// The frozen time of the test clock `customer` is attached to.
pub fn frozen_time_of(state: &State, customer: &str) -> Option<i64> {
    let clock = state.store.get("customer", customer).and_then(|c| field(c, "test_clock"))?;
    state.store.get(RESOURCE, clock)?.get("frozen_time").and_then(Value::as_i64)
}

/// The customers attached to the test clock `clock` (or, for `None`, to none).
pub fn customers_on(state: &State, clock: Option<&str>) -> Vec<String> {
    state
        .store
        .newest_first("customer")
        .into_iter()
        .filter(|customer| field(customer, "test_clock") == clock)
        .filter_map(|customer| field(customer, "id").map(str::to_owned))
        .collect()
}

/// Runs, in time order, the renewals due up to `target` for the subscriptions of `customers`.
pub fn run_until(ctx: &mut Ctx<'_>, target: i64, customers: &[String]) {
    // Each step handles the earliest boundary; a subscription renews once per step.
    for _ in 0..10_000 {
        let due = subscriptions::next_boundary(ctx.state, customers);
        match due {
            Some((time, subscription)) if time <= target => {
                let empty = crate::form::Params::new();
                let mut inner = ctx.with(&empty);
                inner.now = time;
                subscriptions::on_boundary(&mut inner, &subscription);
            }
            _ => break,
        }
    }
    ctx.now = target;
}
