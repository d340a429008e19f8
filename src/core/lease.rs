//! One renewal at a time across the app's tabs where the browser has no Web Locks (Safari
//! before 15.4, an insecure context): a lease in localStorage, under the renewal lock's name.
//! localStorage has no compare-and-set, so a tab that finds the lease free writes its claim,
//! waits [`SETTLE_MS`] for the other tabs' writes to reach it, and reads again: the last claim
//! written is the one every tab reads, and only its writer goes on. A holder that goes away
//! mid-renewal leaves a lease that runs out after [`LEASE_MS`], so no tab waits for ever; a
//! renewal slower than that may meet a second one, which is what tabs without any
//! coordination do every time (each spends its own refresh token, none twice).
//!
//! The stored value is `"{until} {holder}"`: the lease's end in milliseconds since the epoch,
//! and a random name of the tab's claim.

use super::encoding::{cat, decimal, parse_decimal, split_once};
use crate::prelude::*;

/// How long a claim lasts unless its holder lets it go sooner: well past a token request.
pub const LEASE_MS: u64 = 10_000;

/// How long a tab waits after writing its claim before it reads whose the lease is.
pub const SETTLE_MS: u64 = 50;

/// How often a waiting tab looks again, at most.
const POLL_MS: u64 = 25;

/// What a tab does next about the lease it wants.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Write this claim, wait [`SETTLE_MS`], then look again.
    Claim(String),
    /// Another tab holds it: look again in this many milliseconds.
    Wait(u64),
    /// The lease is this tab's: renew.
    Held,
}

/// The stored lease of `holder`, good until `until`.
pub fn lease(holder: &str, until: u64) -> String {
    cat(&[&decimal(until), " ", holder])
}

/// `(until, holder)` of a stored lease; None for anything else.
fn read(stored: &str) -> Option<(u64, &str)> {
    let (until, holder) = split_once(stored, " ")?;
    Some((parse_decimal(until)?, holder)).filter(|(_, h)| !h.is_empty())
}

/// The next step of the tab whose claims are named `me`, seeing `stored` at `now`; `claimed`:
/// whether it wrote its claim and waited [`SETTLE_MS`] since it last looked. A lease that is
/// missing, unreadable or over is free; one of this tab's that it did not just claim (its
/// own last renewal's, lingering) is claimed again like a free one.
pub fn next(stored: Option<&str>, me: &str, now: u64, claimed: bool) -> Step {
    match stored.and_then(read).filter(|(until, _)| *until > now) {
        Some((_, holder)) if holder == me && claimed => Step::Held,
        Some((until, holder)) if holder != me => Step::Wait((until - now).min(POLL_MS)),
        _ => Step::Claim(lease(me, now + LEASE_MS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_lease_is_claimed_and_held_once_the_claim_stays() {
        for free in [
            None,
            Some(""),
            Some("garbage"),
            Some("12 "),
            Some("999 other"),
        ] {
            assert_eq!(
                next(free, "me", 1_000, false),
                Step::Claim("11000 me".into()),
                "{free:?}"
            );
        }
        assert_eq!(next(Some("11000 me"), "me", 1_050, true), Step::Held);
    }

    #[test]
    fn of_two_tabs_claiming_at_once_only_the_last_writer_renews() {
        // Both found it free and wrote; "b" wrote last, and both read b's claim.
        let stored = Some("11000 b");
        assert_eq!(next(stored, "b", 1_050, true), Step::Held);
        assert_eq!(next(stored, "a", 1_050, true), Step::Wait(POLL_MS));
    }

    #[test]
    fn a_tab_waits_for_another_holder_until_it_lets_go_or_its_lease_runs_out() {
        assert_eq!(next(Some("1010 other"), "me", 1_000, false), Step::Wait(10));
        assert_eq!(
            next(Some("1010 other"), "me", 1_010, false),
            Step::Claim("11010 me".into()),
            "over: free"
        );
    }

    #[test]
    fn a_tabs_own_lingering_lease_is_claimed_again_before_it_is_held() {
        assert_eq!(
            next(Some("1100 me"), "me", 1_000, false),
            Step::Claim("11000 me".into())
        );
    }
}
