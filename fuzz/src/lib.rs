//! The fuzz targets' checks, shared with the regression test (tests/fuzz_regressions.rs in
//! the widget's crate includes checks.rs) so a crash input kept under fuzz/regressions/ is
//! replayed by `cargo test` forever after.
pub mod checks;
