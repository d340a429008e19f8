//! The shipped module's panic handler. The core returns `Result`s, so this should never run;
//! if it does, the module traps, and the wrapper (`src/js/wasm.js`) sees the trap, stops
//! calling the wasm and tells the page (`unrecoverable_error`): a widget that silently
//! stopped would be worse.
//!
//! The module is `no_std`, and the handler never reads the panic's message, so no formatting
//! machinery is linked in for panics (issue 7). The browser tests build with std, whose panics
//! fail the test at hand.

#[panic_handler]
fn panicked(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
